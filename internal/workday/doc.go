// Package workday tells working days from days off.
//
// A Calendar starts from the working week (Monday to Friday) and applies
// exceptions given as data: public holidays that fall on weekdays, and the
// make-up working days (调休) that China's State Council moves onto weekends
// around long holidays. The holiday schedule changes every year by notice, so
// it is data (see ParseCalendar for the file format), never code: the Chinese
// calendar of a year is a file, and adding next year's is a data change.
//
// Dates are the plain day numbers of Date, free of time zones.
package workday
