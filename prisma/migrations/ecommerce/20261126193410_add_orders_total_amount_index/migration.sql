-- CreateIndex
CREATE INDEX "orders_total_amount_idx" ON "orders"("total_amount");
