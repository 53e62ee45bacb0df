-- CreateTable
CREATE TABLE "OfficeUser" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "totpSecret" TEXT NOT NULL,
    "totpLastStep" INTEGER NOT NULL DEFAULT -1,
    "failedCount" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "disabledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OfficeUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OfficeSession" (
    "tokenHash" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OfficeSession_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateIndex
CREATE UNIQUE INDEX "OfficeUser_name_key" ON "OfficeUser"("name");

-- CreateIndex
CREATE INDEX "OfficeSession_userId_idx" ON "OfficeSession"("userId");

-- AddForeignKey
ALTER TABLE "OfficeSession" ADD CONSTRAINT "OfficeSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "OfficeUser"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
