-- 0007 security and reliability (issue 11): the precision of numeric
-- fields.

-- The digits before and after the decimal point a numeric field takes;
-- NULL takes its type's default (facts/precision.go).
ALTER TABLE fields ADD COLUMN int_digits integer CHECK (int_digits BETWEEN 1 AND 30);
ALTER TABLE fields ADD COLUMN decimals integer CHECK (decimals BETWEEN 0 AND 20);
