-- Retention deletes the finished webhook delivery logs whose event left the outbox, oldest first and
-- in batches (src/modules/realtime/outbox-retention.ts): each batch walks this index instead of
-- reading the whole log.
-- CreateIndex
CREATE INDEX "WebhookDelivery_seq_idx" ON "WebhookDelivery"("seq");
