package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/parkdesk/parkdesk/internal/appeal"
	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/workday"
)

func workdayCommand() command {
	return command{
		name:  "workday",
		usage: "add|is|years|load …",
		summary: "China's official working-day calendar (the State Council's 放假安排, 2020–2026 shipped):\n" +
			"  parkdesk workday add --from DATE --days N   the working day N working days after DATE (DATE not counted)\n" +
			"  parkdesk workday is DATE                    working or rest\n" +
			"  parkdesk workday years                      the years held and the notice of each\n" +
			"  parkdesk workday load FILE                  record a new year (a line: year 2027 NOTICE) or corrections;\n" +
			"                                              open appeals' deadlines are recomputed\n" +
			"add, is and years answer from the database's calendar when there is one (--db, PARKDESK_DB, or ./parkdesk.db),\nelse from the shipped one.\n" +
			"A date in a year without a schedule is an error (exit 1), never a guess.",
		setup: func(_ *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			return func(ctx context.Context, e env, args []string) error {
				if len(args) == 0 {
					return usagef("name a workday subcommand: add, is, years, load")
				}
				switch args[0] {
				case "add":
					return workdayAdd(ctx, e, cfg, args[1:])
				case "is":
					return workdayIs(ctx, e, cfg, args[1:])
				case "years":
					return workdayYears(ctx, e, cfg, args[1:])
				case "load":
					return workdayLoad(ctx, e, cfg, args[1:])
				}
				return usagef("unknown workday subcommand %q (want add, is, years, load)", args[0])
			}
		},
	}
}

// workdayCalendar is the calendar the read-only subcommands answer from: the
// database's (the shipped schedules with the years loaded) when there is
// one, else the one shipped with the program, so that `parkdesk workday
// is` works on a machine without a database and creates none.
func workdayCalendar(ctx context.Context, e env, cfg *config) (*workday.Calendar, error) {
	if !databaseNamed(e, cfg) {
		return workday.Official(), nil
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return workday.Load(ctx, db)
}

// databaseNamed reports whether a database is given (--db or PARKDESK_DB)
// or the default one exists.
func databaseNamed(e env, cfg *config) bool {
	if e.getenv("PARKDESK_DB") != "" || cfg.DB != defaultConfig(func(string) string { return "" }).DB {
		return true
	}
	_, err := os.Stat(cfg.DB)
	return err == nil
}

func workdayFlags(e env, name, usage string) (*flag.FlagSet, *bool) {
	fs := flag.NewFlagSet("parkdesk workday "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: parkdesk workday %s\n", usage)
		fs.PrintDefaults()
	}
	return fs, new(bool)
}

func workdayDate(s, what string) (workday.Date, error) {
	d, err := workday.ParseDate(strings.TrimSpace(s))
	if err != nil {
		return 0, apperr.InvalidInput(what+" is not a date", apperr.Problem{Field: what, Reason: err.Error()})
	}
	return d, nil
}

func workdayAdd(ctx context.Context, e env, cfg *config, args []string) error {
	fs, _ := workdayFlags(e, "add", "add --from YYYY-MM-DD --days N")
	from := fs.String("from", "", "the day to count from, YYYY-MM-DD (not counted)")
	days := fs.Int("days", 0, "the number of working days (negative: before --from)")
	if _, err := parseSub(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return usagef("--from is required")
	}
	d, err := workdayDate(*from, "--from")
	if err != nil {
		return err
	}
	cal, err := workdayCalendar(ctx, e, cfg)
	if err != nil {
		return err
	}
	got, err := cal.After(d, *days)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, got)
	return nil
}

func workdayIs(ctx context.Context, e env, cfg *config, args []string) error {
	fs, _ := workdayFlags(e, "is", "is YYYY-MM-DD")
	pos, err := parseSub(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("name one date: parkdesk workday is YYYY-MM-DD")
	}
	d, err := workdayDate(pos[0], "date")
	if err != nil {
		return err
	}
	cal, err := workdayCalendar(ctx, e, cfg)
	if err != nil {
		return err
	}
	working, err := cal.Working(d)
	if err != nil {
		return err
	}
	if working {
		fmt.Fprintln(e.stdout, "working")
	} else {
		fmt.Fprintln(e.stdout, "rest")
	}
	return nil
}

func workdayYears(ctx context.Context, e env, cfg *config, args []string) error {
	fs, _ := workdayFlags(e, "years", "years")
	if _, err := parseSub(fs, args); err != nil {
		return err
	}
	cal, err := workdayCalendar(ctx, e, cfg)
	if err != nil {
		return err
	}
	for _, y := range cal.Years() {
		fmt.Fprintf(e.stdout, "%d  %s\n", y.Year, y.Notice)
	}
	return nil
}

func workdayLoad(ctx context.Context, e env, cfg *config, args []string) error {
	fs, _ := workdayFlags(e, "load", "load FILE")
	pos, err := parseSub(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("name one calendar file")
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := appeal.NewService(db).LoadCalendar(ctx, auth.System("workday"), f, filepath.Base(pos[0]))
	if err != nil {
		return err
	}
	for _, y := range res.Years {
		fmt.Fprintf(e.stdout, "year %d  %s\n", y.Year, y.Notice)
	}
	fmt.Fprintf(e.stdout, "days recorded          %d\n", res.Days)
	fmt.Fprintf(e.stdout, "deadlines recomputed   %d open appeals\n", res.Recomputed)
	return nil
}
