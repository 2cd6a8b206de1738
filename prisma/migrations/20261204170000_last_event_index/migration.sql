-- A referral's last event (the inbox shows one per row) is ordered by "at" DESC, "id" DESC; with
-- "id" in the index, a backward scan returns it without an incremental sort (pgbench, the last
-- events of one inbox page of 51: 0.44 → 0.21–0.24 ms).
-- DropIndex
DROP INDEX "ReferralEvent_referralId_at_idx";

-- CreateIndex
CREATE INDEX "ReferralEvent_referralId_at_id_idx" ON "ReferralEvent"("referralId", "at", "id");
