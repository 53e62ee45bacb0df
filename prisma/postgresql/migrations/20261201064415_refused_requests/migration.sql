-- CreateTable
CREATE TABLE "RefusedRequest" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "route" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "size" INTEGER,
    "hash" TEXT,
    "source" TEXT NOT NULL,

    CONSTRAINT "RefusedRequest_pkey" PRIMARY KEY ("id")
);
