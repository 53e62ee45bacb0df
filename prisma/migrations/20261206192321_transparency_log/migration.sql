-- CreateTable
CREATE TABLE "LogLeaf" (
    "index" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sequence" INTEGER NOT NULL,
    "leaf" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "LogNode" (
    "level" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,
    "hash" BLOB NOT NULL,

    PRIMARY KEY ("level", "index")
);

-- CreateTable
CREATE TABLE "Checkpoint" (
    "size" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "root" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "LogLeaf_sequence_key" ON "LogLeaf"("sequence");
