package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"github.com/parkdesk/parkdesk/internal/appeal"
	"io"
	"iter"
	"os"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/demo"
	"github.com/parkdesk/parkdesk/internal/indicator"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/outreach"
	"github.com/parkdesk/parkdesk/internal/project"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/tech"
	"github.com/parkdesk/parkdesk/internal/touch"
)

func demoCommand() command {
	return command{
		name: "demo",
		summary: `Create a realistic demo park in the database, match it, and serve it.
Prints the URL and one login per role. On a database that already holds a
park it serves that park (use --reset to make a new one).`,
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			cfg.declareAddr(fs)
			noServe := fs.Bool("no-serve", false, "only create the demo park, do not serve it")
			n := fs.Int("enterprises", demo.DefaultEnterprises, "number of enterprises")
			seed := fs.Int64("seed", 1, "random seed: the same seed gives the same park")
			on := fs.String("on", "", "the date the park is seen from, YYYY-MM-DD (default: today)")
			reset := fs.Bool("reset", false, "delete the SQLite database file first and make a new park")
			return func(ctx context.Context, e env, args []string) error {
				if len(args) > 0 {
					return usagef("demo takes no arguments")
				}
				date := time.Now()
				if *on != "" {
					d, err := time.Parse(time.DateOnly, *on)
					if err != nil {
						return usagef("--on %q is not a date YYYY-MM-DD", *on)
					}
					date = d
				}
				if *reset {
					if err := removeSQLiteFiles(cfg.DB); err != nil {
						return err
					}
				}
				a, err := openApp(ctx, cfg, cfg.newLogger(e.stderr))
				if err != nil {
					return err
				}
				defer a.close()
				// The job client starts first: matching the new park runs
				// as jobs, as everything the app does later.
				if err := a.startJobs(ctx); err != nil {
					return err
				}
				logins, err := createDemo(ctx, e, a.services, demo.Options{Seed: *seed, Enterprises: *n, On: date})
				if err != nil {
					return err
				}
				if *noServe {
					printLogins(e.stdout, "", logins)
					return nil
				}
				return a.run(ctx, func(url string) {
					printLogins(e.stdout, url, logins)
				})
			}
		},
	}
}

// createDemo loads the demo park into an empty database and makes its demo
// users. On a database that already holds enterprises it changes nothing
// and returns no logins.
func createDemo(ctx context.Context, e env, s *services, opts demo.Options) ([]auth.DemoLogin, error) {
	db := s.db
	var existing int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM enterprises").Scan(&existing); err != nil {
		return nil, err
	}
	if existing > 0 {
		fmt.Fprintf(e.stdout, "The database already holds %d enterprises: serving them as they are.\n"+
			"The demo logins were printed when the park was made; run 'parkdesk demo --reset' for a new park.\n", existing)
		return nil, nil
	}
	fmt.Fprintf(e.stdout, "Creating a demo park of %d enterprises (seed %d) …\n", opts.Enterprises, opts.Seed)
	report, err := demo.Load(ctx, db, opts, func(done, total int) {
		if done == total || done%(5*1000) == 0 {
			fmt.Fprintf(e.stdout, "  %d/%d enterprises\n", done, total)
		}
	})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(e.stdout, "Created %d enterprises and %d facts in %s.\n", report.Enterprises, report.Facts, report.Elapsed.Round(100*time.Millisecond))
	if err := matchDemo(ctx, e, s, opts.On); err != nil {
		return nil, err
	}
	portfolio, showcase, err := demoPortfolio(ctx, db)
	if err != nil {
		return nil, err
	}
	g, err := demo.New(opts)
	if err != nil {
		return nil, err
	}
	out, err := (&outreach.Service{DB: db, Policies: s.policies.Library}).LoadDemo(ctx,
		outreach.DemoOptions{Liaisons: demoLiaisons(g), Showcase: showcase, Now: opts.On})
	if err != nil {
		return nil, fmt.Errorf("demo benefit packages: %w", err)
	}
	fmt.Fprintf(e.stdout, "Made %d liaison contacts and the benefit packages of the results (%d approved ones wait for 'parkdesk push').\n",
		out.Contacts, out.Packages[outreach.PackageApproved])
	techOut, err := tech.NewService(db).LoadDemo(ctx, tech.DemoOptions{Showcase: showcase, Now: opts.On, Seed: uint64(opts.Seed)})
	if err != nil {
		return nil, fmt.Errorf("demo technology desk: %w", err)
	}
	fmt.Fprintf(e.stdout, "Made a technology catalogue of %d achievements, %d needs, %d introductions (%d signed).\n",
		techOut.Achievements, techOut.Needs, techOut.Dockings, techOut.Contracts)
	projects := project.NewService(db)
	projects.Now = func() time.Time { return opts.On }
	var parks []string
	for _, pk := range demo.Parks() {
		parks = append(parks, pk.Code)
	}
	prjOut, err := projects.LoadDemo(ctx, project.DemoOptions{Now: opts.On, Seed: uint64(opts.Seed), Parks: parks})
	if err != nil {
		return nil, fmt.Errorf("demo projects: %w", err)
	}
	ind := indicator.NewService(db, projects)
	ind.Now = projects.Now
	entered, err := ind.LoadDemo(ctx, parks[0], opts.On)
	if err != nil {
		return nil, fmt.Errorf("demo indicators: %w", err)
	}
	ev, err := ind.LoadDemoSurvey(ctx, opts.On, 120)
	if err != nil {
		return nil, fmt.Errorf("demo survey: %w", err)
	}
	fmt.Fprintf(e.stdout, "Made a finished business-environment survey (%d respondents, %d departments, %d reform tasks).\n",
		ev.Respondents, len(ev.Departments), len(ev.Tasks))
	fmt.Fprintf(e.stdout, "Made %d investment projects with %d signings and %d months of funds in place, %d spaces, one industry fund and %d entered statistics.\n",
		prjOut.Projects, prjOut.Signings, prjOut.Funds, prjOut.Spaces, entered)
	appealOut, err := appeal.NewService(db).LoadDemo(ctx, appeal.DemoOptions{Enterprises: portfolio, Showcase: showcase, Now: opts.On, Seed: uint64(opts.Seed)})
	if err != nil {
		return nil, fmt.Errorf("demo appeals: %w", err)
	}
	fmt.Fprintf(e.stdout, "Made a year of %d appeals (%d open, %d closed), %d meetings and %d special service team.\n", appealOut.Appeals,
		appealOut.ByStatus[appeal.Received]+appealOut.ByStatus[appeal.Assigned]+appealOut.ByStatus[appeal.InProgress]+appealOut.ByStatus[appeal.Waiting],
		appealOut.ByStatus[appeal.Closed], appealOut.Meetings, appealOut.Teams)
	logins, err := auth.CreateDemoUsers(ctx, db, auth.DemoOptions{Portfolio: portfolio, EnterpriseID: showcase})
	if err != nil {
		return nil, err
	}
	// The departments' requests, planned into the demo commissioner's
	// joint visits: after the users, whose portfolio the plan serves.
	touchOut, err := touch.NewService(db).LoadDemo(ctx, touch.DemoOptions{Portfolio: portfolio, Showcase: showcase, Now: opts.On})
	if err != nil {
		return nil, fmt.Errorf("demo touch requests: %w", err)
	}
	fmt.Fprintf(e.stdout, "Filed %d departments' touch requests and planned %d joint visits.\n", touchOut.Requests, touchOut.Visits)
	return logins, nil
}

// demoLiaisons are the generated park's liaisons as the outreach demo takes
// them: all by e-mail, every fourth by SMS too.
func demoLiaisons(g *demo.Generator) iter.Seq[outreach.DemoLiaison] {
	return func(yield func(outreach.DemoLiaison) bool) {
		for i := range g.Len() {
			e := g.EnterpriseFacts(i, func(demo.Fact) {})
			l := e.Liaison
			if !yield(outreach.DemoLiaison{USCC: e.Record.USCC, Name: l.Name, Email: l.Email, Phone: l.Phone, SMS: i%4 == 0}) {
				return
			}
		}
	}
}

// demoPortfolio gives the demo commissioner the first 200 enterprises, and
// the demo liaison the one of them with the most eligible benefits, so that
// the portal has something to show.
func demoPortfolio(ctx context.Context, db *store.DB) (portfolio []int64, showcase int64, err error) {
	rows, err := db.Query(ctx, "SELECT id FROM enterprises ORDER BY id LIMIT 200")
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, 0, err
		}
		portfolio = append(portfolio, id)
	}
	if err := rows.Err(); err != nil || len(portfolio) == 0 {
		return portfolio, 0, err
	}
	// Every tab of the portal shows something: benefits, a near miss and
	// data to report; failing that, the most benefits.
	err = db.QueryRow(ctx, `SELECT enterprise_id FROM match_results
WHERE enterprise_id <= ?
GROUP BY enterprise_id
HAVING SUM(CASE WHEN status = 'eligible' THEN 1 ELSE 0 END) > 0 AND SUM(CASE WHEN near_miss IS NOT NULL THEN 1 ELSE 0 END) > 0
	AND SUM(CASE WHEN status = 'undetermined' THEN 1 ELSE 0 END) > 0
ORDER BY SUM(CASE WHEN status = 'eligible' THEN 1 ELSE 0 END) DESC, enterprise_id LIMIT 1`, portfolio[len(portfolio)-1]).Scan(&showcase)
	if err == nil {
		return portfolio, showcase, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, 0, err
	}
	err = db.QueryRow(ctx, `SELECT enterprise_id FROM match_results
WHERE status = 'eligible' AND enterprise_id <= ?
GROUP BY enterprise_id ORDER BY COUNT(*) DESC, enterprise_id LIMIT 1`, portfolio[len(portfolio)-1]).Scan(&showcase)
	if errors.Is(err, sql.ErrNoRows) {
		return portfolio, portfolio[0], nil
	}
	return portfolio, showcase, err
}

// matchDemo matches the new park against the shipped policies, as
// 'parkdesk match' would, so that the console opens on results.
func matchDemo(ctx context.Context, e env, s *services, on time.Time) error {
	db := s.db
	p, err := s.matcher.Run(ctx, db, match.RunOptions{On: on})
	if err != nil {
		return fmt.Errorf("match the demo park: %w", err)
	}
	fmt.Fprintf(e.stdout, "Matched %d enterprises against the policies in force on %s: %d results in %s.\n",
		p.Enterprises, on.Format(time.DateOnly), p.Results, p.Elapsed.Round(100*time.Millisecond))
	if db.Dialect() == store.SQLite {
		// Statistics for the query planner, now that the tables are full:
		// the console's filtered lists pick their indexes by them.
		if _, err := db.Exec(ctx, "PRAGMA optimize"); err != nil {
			return fmt.Errorf("optimize the demo database: %w", err)
		}
	}
	return nil
}

func printLogins(w io.Writer, url string, logins []auth.DemoLogin) {
	if url != "" {
		fmt.Fprintf(w, "\nparkdesk demo is serving on %s\n", url)
	}
	if len(logins) == 0 {
		return
	}
	fmt.Fprintln(w, "\nDemo logins (one per role; made only in the demo):")
	for _, l := range logins {
		fmt.Fprintf(w, "  %-13s login %-16s password %s\n", l.Role, l.Login, l.Password)
	}
	fmt.Fprintln(w)
}

// removeSQLiteFiles deletes a SQLite database with its WAL files, for
// --reset. A PostgreSQL database is never dropped by the program.
func removeSQLiteFiles(dsn string) error {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return usagef("--reset only deletes a SQLite file; make a fresh PostgreSQL database yourself")
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(dsn + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("reset: %w", err)
		}
	}
	return nil
}
