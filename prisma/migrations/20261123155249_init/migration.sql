-- CreateTable
CREATE TABLE "Station" (
    "precinctId" TEXT NOT NULL PRIMARY KEY,
    "electionId" TEXT NOT NULL,
    "certSerial" TEXT NOT NULL,
    "certFingerprint" TEXT NOT NULL,
    "totpSecretEnc" TEXT NOT NULL,
    "totpLastStep" INTEGER NOT NULL DEFAULT -1,
    "failedAttempts" INTEGER NOT NULL DEFAULT 0,
    "lastFailureAt" DATETIME,
    "importedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ReceivedEnvelope" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "receivedAt" DATETIME NOT NULL,
    "requestId" TEXT NOT NULL,
    "precinctId" TEXT,
    "contestId" TEXT,
    "revision" INTEGER,
    "sha256" TEXT NOT NULL,
    "body" BLOB NOT NULL,
    "verdict" TEXT NOT NULL,
    "code" TEXT,
    "detail" TEXT
);

-- CreateTable
CREATE TABLE "Report" (
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
    "acknowledgements" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "CurrentReport" (
    "precinctId" TEXT NOT NULL,
    "contestId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "revision" INTEGER NOT NULL,

    PRIMARY KEY ("precinctId", "contestId")
);

-- CreateTable
CREATE TABLE "Receipt" (
    "sequence" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "issuedAt" DATETIME NOT NULL,
    "receipt" BLOB NOT NULL,
    "receiptCode" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "precinctId" TEXT,
    "requestId" TEXT,
    "event" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "ReceivedEnvelope_precinctId_receivedAt_idx" ON "ReceivedEnvelope"("precinctId", "receivedAt");

-- CreateIndex
CREATE INDEX "ReceivedEnvelope_sha256_idx" ON "ReceivedEnvelope"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "Report_envelopeId_key" ON "Report"("envelopeId");

-- CreateIndex
CREATE UNIQUE INDEX "Report_precinctId_contestId_revision_key" ON "Report"("precinctId", "contestId", "revision");

-- CreateIndex
CREATE UNIQUE INDEX "CurrentReport_sequence_key" ON "CurrentReport"("sequence");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");
