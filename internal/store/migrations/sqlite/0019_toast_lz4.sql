-- 0019 lz4 for the fact sets: PostgreSQL only (its TOAST compression);
-- SQLite stores the sets as they are. The version is kept in step.
SELECT 1;
