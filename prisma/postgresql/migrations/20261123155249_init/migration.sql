-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Station" (
    "precinctId" TEXT NOT NULL,
    "electionId" TEXT NOT NULL,
    "certSerial" TEXT NOT NULL,
    "certFingerprint" TEXT NOT NULL,
    "totpSecretEnc" TEXT NOT NULL,
    "totpLastStep" INTEGER NOT NULL DEFAULT -1,
    "failedAttempts" INTEGER NOT NULL DEFAULT 0,
    "lastFailureAt" TIMESTAMP(3),
    "importedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Station_pkey" PRIMARY KEY ("precinctId")
);

-- CreateTable
CREATE TABLE "ReceivedEnvelope" (
    "id" INTEGER NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "requestId" TEXT NOT NULL,
    "precinctId" TEXT,
    "contestId" TEXT,
    "revision" INTEGER,
    "sha256" TEXT NOT NULL,
    "body" BYTEA NOT NULL,
    "verdict" TEXT NOT NULL,
    "code" TEXT,
    "detail" TEXT,

    CONSTRAINT "ReceivedEnvelope_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Report" (
    "sequence" INTEGER NOT NULL,
    "envelopeId" INTEGER NOT NULL,
    "electionId" TEXT NOT NULL,
    "precinctId" TEXT NOT NULL,
    "contestId" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "correctionReason" TEXT,
    "envelopeHash" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "signedBytes" BYTEA NOT NULL,
    "signedData" BYTEA NOT NULL,
    "counts" TEXT NOT NULL,
    "certSerial" TEXT NOT NULL,
    "certFingerprint" TEXT NOT NULL,
    "signingTime" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3) NOT NULL,
    "acknowledgements" TEXT NOT NULL,

    CONSTRAINT "Report_pkey" PRIMARY KEY ("sequence")
);

-- CreateTable
CREATE TABLE "CurrentReport" (
    "precinctId" TEXT NOT NULL,
    "contestId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "revision" INTEGER NOT NULL,

    CONSTRAINT "CurrentReport_pkey" PRIMARY KEY ("precinctId","contestId")
);

-- CreateTable
CREATE TABLE "Receipt" (
    "sequence" INTEGER NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "receipt" BYTEA NOT NULL,
    "receiptCode" TEXT NOT NULL,

    CONSTRAINT "Receipt_pkey" PRIMARY KEY ("sequence")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "precinctId" TEXT,
    "requestId" TEXT,
    "event" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
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
