-- CreateTable
CREATE TABLE "RefusedRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "route" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "size" INTEGER,
    "hash" TEXT,
    "source" TEXT NOT NULL
);
