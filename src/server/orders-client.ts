import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

/**
 * The part of the Prisma client the orders extension uses, declared here instead of imported from the
 * generated client: the client is generated from whichever model is served, and the extension is loaded
 * only for a model that has the e-commerce tables with these columns and statuses (orders-extension.ts),
 * so the project type-checks whatever the model is.
 */
export const ORDER_STATUSES = ['pending', 'processing', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderRow {
  id: number;
  userId: number;
  status: OrderStatus;
  totalAmount: Prisma.Decimal;
  createdAt: Date;
}

export interface OrderDetailRow extends OrderRow {
  user: { id: number; email: string; firstName: string; lastName: string };
  orderItems: { id: number; productId: number; quantity: number; unitPrice: Prisma.Decimal; product: { name: string } }[];
}

type Range<T> = { gte?: T; lt?: T; lte?: T };
export interface OrderWhere {
  status?: OrderStatus;
  userId?: number;
  createdAt?: Range<Date>;
  totalAmount?: Range<string>;
}

export interface OrdersClient {
  order: {
    count(args: { where: OrderWhere }): Promise<number>;
    findMany(args: { where: OrderWhere; orderBy: Record<string, 'asc' | 'desc'>[]; skip: number; take: number }): Promise<OrderRow[]>;
    findUnique(args: { relationLoadStrategy: 'join'; where: { id: number }; include: object }): Promise<OrderDetailRow | null>;
  };
  orderItem: {
    groupBy(args: {
      by: ['orderId'];
      where: { orderId: { in: number[] } };
      _count: { _all: true };
    }): Promise<{ orderId: number; _count: { _all: number } }[]>;
  };
  $queryRaw: PrismaClient['$queryRaw'];
}

/** The client seen through the extension's declaration (checked against the model when the extension loads). */
export function ordersClient(prisma: PrismaClient): OrdersClient {
  return prisma as unknown as OrdersClient;
}
