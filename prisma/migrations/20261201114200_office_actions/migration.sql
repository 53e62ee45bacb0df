-- CreateTable
CREATE TABLE "PhoneConfirmation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "precinctId" TEXT NOT NULL,
    "contestId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "confirmedBy" TEXT NOT NULL,
    "confirmedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PhoneEntry" (
    "precinctId" TEXT NOT NULL,
    "contestId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("precinctId", "contestId")
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Report" (
    "sequence" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "envelopeId" INTEGER NOT NULL,
    "electionId" TEXT NOT NULL,
    "precinctId" TEXT NOT NULL,
    "contestId" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "correctionReason" TEXT,
    "envelopeHash" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "signedBytes" BLOB NOT NULL,
    "signedData" BLOB NOT NULL,
    "counts" TEXT NOT NULL,
    "certSerial" TEXT NOT NULL,
    "certFingerprint" TEXT NOT NULL,
    "signingTime" DATETIME NOT NULL,
    "acceptedAt" DATETIME NOT NULL,
    "acknowledgements" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'kit'
);
INSERT INTO "new_Report" ("acceptedAt", "acknowledgements", "certFingerprint", "certSerial", "contentHash", "contestId", "correctionReason", "counts", "electionId", "envelopeHash", "envelopeId", "precinctId", "revision", "sequence", "signedBytes", "signedData", "signingTime") SELECT "acceptedAt", "acknowledgements", "certFingerprint", "certSerial", "contentHash", "contestId", "correctionReason", "counts", "electionId", "envelopeHash", "envelopeId", "precinctId", "revision", "sequence", "signedBytes", "signedData", "signingTime" FROM "Report";
DROP TABLE "Report";
ALTER TABLE "new_Report" RENAME TO "Report";
CREATE UNIQUE INDEX "Report_envelopeId_key" ON "Report"("envelopeId");
CREATE UNIQUE INDEX "Report_precinctId_contestId_revision_key" ON "Report"("precinctId", "contestId", "revision");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "PhoneConfirmation_precinctId_idx" ON "PhoneConfirmation"("precinctId");
