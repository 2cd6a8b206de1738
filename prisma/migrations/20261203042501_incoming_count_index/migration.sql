-- CreateIndex
CREATE INDEX "Referral_incoming_idx" ON "Referral"("receiverOrganisationId") WHERE ("sentAt" IS NOT NULL);
