-- CreateTable
CREATE TABLE "LogLeaf" (
    "index" INTEGER NOT NULL,
    "sequence" INTEGER NOT NULL,
    "leaf" TEXT NOT NULL,

    CONSTRAINT "LogLeaf_pkey" PRIMARY KEY ("index")
);

-- CreateTable
CREATE TABLE "LogNode" (
    "level" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,
    "hash" BYTEA NOT NULL,

    CONSTRAINT "LogNode_pkey" PRIMARY KEY ("level","index")
);

-- CreateTable
CREATE TABLE "Checkpoint" (
    "size" INTEGER NOT NULL,
    "root" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Checkpoint_pkey" PRIMARY KEY ("size")
);

-- CreateIndex
CREATE UNIQUE INDEX "LogLeaf_sequence_key" ON "LogLeaf"("sequence");
