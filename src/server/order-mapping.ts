import type { OrderDetailRow, OrderRow } from './orders-client.ts';
import type { OrderDetail, OrderSummary } from './schemas.ts';

/** An order row as the API shows it: in a page of orders and at the head of one order's detail. */
export function toOrderSummary(row: OrderRow, itemCount: number): OrderSummary {
  return {
    id: row.id,
    user_id: row.userId,
    status: row.status,
    total_amount: row.totalAmount.toFixed(2),
    created_at: row.createdAt.toISOString(),
    item_count: itemCount,
  };
}

/** What an order's detail needs loaded with the order; kept next to the mapping that reads it. */
export const orderDetailInclude = {
  user: { select: { id: true, email: true, firstName: true, lastName: true } },
  orderItems: { orderBy: { id: 'asc' }, include: { product: { select: { name: true } } } },
} as const;

export function toOrderDetail(row: OrderDetailRow): OrderDetail {
  return {
    ...toOrderSummary(row, row.orderItems.length),
    customer: { id: row.user.id, email: row.user.email, first_name: row.user.firstName, last_name: row.user.lastName },
    items: row.orderItems.map((i) => ({
      id: i.id,
      product_id: i.productId,
      product_name: i.product.name,
      quantity: i.quantity,
      unit_price: i.unitPrice.toFixed(2),
      line_total: i.unitPrice.mul(i.quantity).toFixed(2),
    })),
  };
}
