-- AlterTable
ALTER TABLE "Report" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'kit';

-- CreateTable
CREATE TABLE "PhoneConfirmation" (
    "id" SERIAL NOT NULL,
    "precinctId" TEXT NOT NULL,
    "contestId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "confirmedBy" TEXT NOT NULL,
    "confirmedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PhoneConfirmation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PhoneEntry" (
    "precinctId" TEXT NOT NULL,
    "contestId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PhoneEntry_pkey" PRIMARY KEY ("precinctId","contestId")
);

-- CreateIndex
CREATE INDEX "PhoneConfirmation_precinctId_idx" ON "PhoneConfirmation"("precinctId");
