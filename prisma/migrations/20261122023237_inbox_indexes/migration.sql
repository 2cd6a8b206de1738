-- CreateIndex
CREATE INDEX "Referral_receiverOrganisationId_createdAt_id_idx" ON "Referral"("receiverOrganisationId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Referral_senderOrganisationId_createdAt_id_idx" ON "Referral"("senderOrganisationId", "createdAt" DESC, "id" DESC);
