-- Codes of withdrawn invitations (withdrawInvitation): answered "withdrawn" rather than counted as
-- guesses against the caller's address, since links with them may still circulate.
-- CreateTable
CREATE TABLE "WithdrawnEditionCode" (
    "codeHash" TEXT NOT NULL,
    "editionId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "withdrawnAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WithdrawnEditionCode_pkey" PRIMARY KEY ("codeHash")
);

-- CreateIndex
CREATE INDEX "WithdrawnEditionCode_editionId_idx" ON "WithdrawnEditionCode"("editionId");

-- CreateIndex
CREATE INDEX "WithdrawnEditionCode_organisationId_idx" ON "WithdrawnEditionCode"("organisationId");

-- AddForeignKey
ALTER TABLE "WithdrawnEditionCode" ADD CONSTRAINT "WithdrawnEditionCode_editionId_fkey" FOREIGN KEY ("editionId") REFERENCES "EventEdition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WithdrawnEditionCode" ADD CONSTRAINT "WithdrawnEditionCode_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
