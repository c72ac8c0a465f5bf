package money

// Exact sums in SQL. Stored amounts are text with exactly two decimals
// (what Fen.String writes), so removing the point gives the whole number
// of fen; summed as a BIGINT, totals are exact on SQLite (which would
// otherwise sum text as floats) and on PostgreSQL alike.

// SQLFen is the SQL expression of a stored amount column as whole fen: a
// BIGINT, NULL where the column is NULL. column is the caller's own SQL,
// never user input.
func SQLFen(column string) string {
	return "CAST(REPLACE(" + column + ", '.', '') AS BIGINT)"
}

// SQLSum is the SQL aggregate of the exact sum of a stored amount column
// in fen: a BIGINT on both databases (PostgreSQL's SUM of bigints is a
// numeric, cast back), NULL when no row has an amount. Scan it into a
// *Fen, which reads NULL as zero.
func SQLSum(column string) string {
	return "CAST(SUM(" + SQLFen(column) + ") AS BIGINT)"
}
