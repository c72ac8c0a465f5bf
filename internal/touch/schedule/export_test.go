package schedule

// CheckPlan lets the external tests check plans of loads made outside the
// package (package bench's synthetic half year).
var CheckPlan = checkPlan
