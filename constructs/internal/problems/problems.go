// Package problems collects every invalid prop of one constructor or method
// call, so that a caller who got three props wrong reads three problems in
// one panic instead of fixing them one run at a time.
//
// A panic is mamori's mechanism for impossible props inside a construct (the
// CDK's own ValidationError reaches Go as a panic too); user mistakes never
// get here, config.Load reports them first.
package problems

import (
	"fmt"
	"strings"
)

// List is the problems of one call. Its zero value is usable but names no
// caller; start one with Of or New.
type List struct {
	who  string
	list []string
}

// Of starts the list of the call fn (e.g. "dataprotection.NewMacie") for
// the construct or part id, so that every message reads
// `dataprotection.NewMacie "id": ...`.
func Of(fn, id string) *List { return &List{who: fmt.Sprintf("%s %q", fn, id)} }

// New starts the list of a call that has no id, named who.
func New(who string) *List { return &List{who: who} }

// Add records one problem, formatted as by fmt.Sprintf.
func (l *List) Add(format string, args ...any) {
	l.list = append(l.list, fmt.Sprintf(format, args...))
}

// Len is the number of problems recorded so far.
func (l *List) Len() int { return len(l.list) }

// Err is nil without problems, else one error naming the caller and every
// problem in the order they were added, separated by "; ".
func (l *List) Err() error {
	if len(l.list) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %s", l.who, strings.Join(l.list, "; "))
}

// Check panics with Err if any problem was recorded.
func (l *List) Check() {
	if err := l.Err(); err != nil {
		panic(err)
	}
}
