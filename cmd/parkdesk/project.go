package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/indicator"
	"github.com/parkdesk/parkdesk/internal/project"
)

// projectCommand is `parkdesk project`: investment projects, signings and
// funds in place from files, and the list of projects.
func projectCommand() command {
	return command{
		name:  "project",
		usage: "import [--dry-run] FILE... | list [--stage S] [--park CODE] | show CODE | stalled",
		summary: "Investment projects (招商项目). 'project import' loads projects, signings or funds files (.csv or .xlsx, " +
			"recognised by their header; docs/import-format.md), each all or nothing; 'list', 'show' and 'stalled' print JSON.",
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			return func(ctx context.Context, e env, args []string) error {
				if len(args) == 0 {
					return usagef("name a project command: import, list, show or stalled")
				}
				sub := flag.NewFlagSet("parkdesk project "+args[0], flag.ContinueOnError)
				sub.SetOutput(e.stderr)
				cfg.declareGlobal(sub)
				dryRun := sub.Bool("dry-run", false, "check every row against the file and the database, but write nothing")
				stage := sub.String("stage", "", "list: only projects at this stage")
				park := sub.String("park", "", "list: only projects of this park (its code)")
				if err := sub.Parse(args[1:]); err != nil {
					if errors.Is(err, flag.ErrHelp) {
						return nil
					}
					return errUsage
				}
				db, err := openDB(ctx, cfg)
				if err != nil {
					return err
				}
				defer db.Close()
				svc := project.NewService(db)
				operator := auth.System("project")
				switch args[0] {
				case "import":
					if sub.NArg() == 0 {
						return usagef("give the files to import")
					}
					failed := false
					for _, file := range sub.Args() {
						data, err := os.ReadFile(file)
						if err != nil {
							return fmt.Errorf("read %s: %w", file, err)
						}
						rep, err := svc.Import(ctx, operator, filepath.Base(file), data, *dryRun)
						if err != nil {
							printImportError(e, err)
							failed = true
							continue
						}
						warnIgnored(e, file, rep.Ignored)
						verb := "imported"
						if *dryRun {
							verb = "checked (dry run, nothing written)"
						}
						fmt.Fprintf(e.stdout, "%s: %d %s rows %s: %d new, %d updated\n", file, rep.Rows, rep.Kind, verb, rep.Created, rep.Updated)
					}
					if failed {
						return errSilentFailure
					}
					return nil
				case "list":
					st := project.Stage("")
					if *stage != "" {
						var ok bool
						if st, ok = project.ParseStage(*stage); !ok {
							return usagef("unknown stage %q", *stage)
						}
					}
					list, total, err := svc.List(ctx, operator, project.Filter{Stage: st, Park: *park, Limit: 500})
					if err != nil {
						return err
					}
					return writeJSON(e.stdout, map[string]any{"total": total, "projects": nonNil(list)})
				case "show":
					if sub.NArg() != 1 {
						return usagef("give one project code")
					}
					d, err := svc.Get(ctx, operator, sub.Arg(0))
					if err != nil {
						return err
					}
					return writeJSON(e.stdout, d)
				case "stalled":
					list, total, err := svc.Stalled(ctx, operator, 500)
					if err != nil {
						return err
					}
					return writeJSON(e.stdout, map[string]any{"total": total, "projects": nonNil(list)})
				}
				return usagef("unknown project command %q", args[0])
			}
		},
	}
}

// reportCommand is `parkdesk report`: the park's indicators for a period
// with their year-on-year change.
func reportCommand() command {
	return command{
		name:  "report",
		usage: "--period P [--park CODE] [--format json|xlsx] [-o FILE] | enter FILE...",
		summary: "The park's indicators for a year (2023), a quarter (2023Q1) or a month (2023-03), each with its value a " +
			"year earlier and the year-on-year change; 'report enter FILE' records entered indicators (GDP, industrial " +
			"output, tax revenue) from a file with the header park,indicator,period,value,source.",
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			period := fs.String("period", "", "YYYY, YYYYQn or YYYY-MM")
			park := fs.String("park", "", "one park's code; every park when empty")
			format := fs.String("format", "json", "json or xlsx")
			out := fs.String("o", "", "the file to write (xlsx needs one)")
			return func(ctx context.Context, e env, args []string) error {
				if len(args) > 0 && args[0] == "enter" {
					return reportEnter(ctx, e, cfg, args[1:])
				}
				if *period == "" || len(args) > 0 {
					return usagef("give --period YYYY, YYYYQn or YYYY-MM")
				}
				if *format != "json" && *format != "xlsx" {
					return usagef("--format is json or xlsx")
				}
				if *format == "xlsx" && *out == "" {
					return usagef("--format xlsx needs -o FILE")
				}
				db, err := openDB(ctx, cfg)
				if err != nil {
					return err
				}
				defer db.Close()
				svc := indicator.NewService(db, project.NewService(db))
				rep, err := svc.Report(ctx, auth.System("report"), *period, *park)
				if err != nil {
					return err
				}
				if *format == "xlsx" {
					f, err := os.Create(*out)
					if err != nil {
						return err
					}
					if err := indicator.WriteXLSX(f, rep, "zh-CN"); err != nil {
						f.Close()
						return err
					}
					return f.Close()
				}
				if *out != "" {
					f, err := os.Create(*out)
					if err != nil {
						return err
					}
					if err := writeJSON(f, rep); err != nil {
						f.Close()
						return err
					}
					return f.Close()
				}
				return writeJSON(e.stdout, rep)
			}
		},
	}
}

func reportEnter(ctx context.Context, e env, cfg *config, files []string) error {
	if len(files) == 0 {
		return usagef("give the files of entered indicators")
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := indicator.NewService(db, project.NewService(db))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("read %s: %w", file, err)
		}
		entries, err := indicator.ParseEntries(filepath.Base(file), data)
		if err == nil {
			err = svc.Enter(ctx, auth.System("report-enter"), entries)
		}
		if err != nil {
			printImportError(e, err)
			return errSilentFailure
		}
		fmt.Fprintf(e.stdout, "%s: %d values recorded\n", file, len(entries))
	}
	return nil
}

// printImportError prints a refused file's problems, one a line, then its
// message; anything but invalid input is returned as it is.
func printImportError(e env, err error) {
	for _, p := range apperr.ProblemsOf(err) {
		fmt.Fprintln(e.stderr, p.String())
	}
	fmt.Fprintln(e.stderr, "parkdesk:", apperr.MessageOf(err))
}
