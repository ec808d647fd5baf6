import { createCallerFactory, router } from '../trpc.ts';
import { ordersRouter } from './orders.ts';

export const appRouter = router({ orders: ordersRouter });

/** The only thing a client imports from the server, as a type. */
export type AppRouter = typeof appRouter;

/** Calls procedures in-process, without HTTP (tests, scripts). */
export const createCaller = createCallerFactory(appRouter);
