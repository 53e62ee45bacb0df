-- AlterTable
ALTER TABLE "Station" ADD COLUMN     "sessionOpenedAt" TIMESTAMP(3),
ADD COLUMN     "sessionRequest" TEXT;

-- CreateTable
CREATE TABLE "Installation" (
    "id" INTEGER NOT NULL,
    "electionId" TEXT NOT NULL,
    "keyCheck" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Installation_pkey" PRIMARY KEY ("id")
);
