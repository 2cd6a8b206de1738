-- CreateTable
CREATE TABLE "SupplyReading" (
    "month" TEXT NOT NULL,
    "readAt" TIMESTAMPTZ(3) NOT NULL,
    "cells" JSONB NOT NULL,

    CONSTRAINT "SupplyReading_pkey" PRIMARY KEY ("month")
);
