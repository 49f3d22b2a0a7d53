package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// prSetChildSubreaper makes this process adopt orphaned descendants, so
// that the jsii Node.js process an app leaves behind is reaped here and
// its peak memory measured (Linux prctl(2)).
const prSetChildSubreaper = 36

// runBench builds the app and the one-topic floor app, synthesizes each
// configuration -runs times, and reports the fastest wall time (on a shared
// machine other work only ever adds to a run, so the minimum is the least
// disturbed measure) and the peak
// resident memory of the Go process plus its jsii Node.js process, with
// their ratios to the floor.
func runBench(args []string) error {
	fs := newFlags("bench")
	runs := fs.Int("runs", 5, "synths per configuration (the fastest is reported)")
	fs.Parse(args)
	root := repoRoot()
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		return fmt.Errorf("prctl(PR_SET_CHILD_SUBREAPER): %v", errno)
	}
	bin, err := os.MkdirTemp("", "mamori-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(bin)
	for _, b := range [][2]string{{"app", "./app"}, {"floor", "./cmd/mamori-floor"}} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(bin, b[0]), b[1])
		cmd.Dir, cmd.Stderr = root, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build %s: %w", b[1], err)
		}
	}
	ctx, err := cdktest.ReadContext(root)
	if err != nil {
		return err
	}
	ctxJSON, err := json.Marshal(ctx)
	if err != nil {
		return err
	}
	fxs, err := fixtures(root)
	if err != nil {
		return err
	}
	type target struct{ name, binary, config string }
	targets := []target{{"floor (one SNS topic)", "floor", ""}}
	for _, fx := range fxs {
		targets = append(targets, target{fx.name, "app", fx.path})
	}
	type result struct {
		wall time.Duration
		rss  int64 // KiB
	}
	var floor result
	fmt.Printf("%d runs each, fastest wall time, peak RSS of the Go app plus its jsii Node.js process\n\n", *runs)
	fmt.Println("| configuration | synth time | × floor | peak memory | × floor |")
	fmt.Println("|---|---:|---:|---:|---:|")
	for i, t := range targets {
		var walls []time.Duration
		var peak int64
		for r := 0; r < *runs; r++ {
			out, err := os.MkdirTemp("", "mamori-bench-out-")
			if err != nil {
				return err
			}
			cmd := exec.Command(filepath.Join(bin, t.binary))
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "CDK_OUTDIR="+out, "CDK_CONTEXT_JSON="+string(ctxJSON), "MAMORI_CONFIG="+t.config)
			start := time.Now()
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			walls = append(walls, time.Since(start))
			rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
			rss += reapOrphans()
			peak = max(peak, rss)
			os.RemoveAll(out)
		}
		sort.Slice(walls, func(a, b int) bool { return walls[a] < walls[b] })
		res := result{wall: walls[0], rss: peak}
		if i == 0 {
			floor = res
		}
		fmt.Printf("| %s | %.1f s | %.1f | %d MiB | %.1f |\n", t.name, res.wall.Seconds(),
			res.wall.Seconds()/floor.wall.Seconds(), res.rss/1024, float64(res.rss)/float64(floor.rss))
	}
	return nil
}

// reapOrphans waits for the descendants the last app left behind (its jsii
// Node.js process) and returns the largest peak RSS among them, in KiB.
func reapOrphans() int64 {
	var peak int64
	for {
		var status syscall.WaitStatus
		var ru syscall.Rusage
		pid, err := syscall.Wait4(-1, &status, 0, &ru)
		if pid <= 0 || err != nil {
			return peak
		}
		peak = max(peak, ru.Maxrss)
	}
}
