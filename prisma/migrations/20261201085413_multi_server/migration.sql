-- AlterTable
ALTER TABLE "Station" ADD COLUMN "sessionOpenedAt" DATETIME;
ALTER TABLE "Station" ADD COLUMN "sessionRequest" TEXT;

-- CreateTable
CREATE TABLE "Installation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "electionId" TEXT NOT NULL,
    "keyCheck" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);
