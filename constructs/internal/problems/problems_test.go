package problems

import "testing"

func TestNoProblems(t *testing.T) {
	l := Of("pkg.NewThing", "Thing")
	if err := l.Err(); err != nil {
		t.Fatalf("Err() = %v, want nil", err)
	}
	l.Check() // must not panic
	if l.Len() != 0 {
		t.Fatalf("Len() = %d, want 0", l.Len())
	}
}

func TestEveryProblemInOrder(t *testing.T) {
	l := Of("pkg.NewThing", "My Thing")
	l.Add("Calls is required")
	l.Add("Limit %d must be 1 to %d", 0, 5)
	const want = `pkg.NewThing "My Thing": Calls is required; Limit 0 must be 1 to 5`
	if err := l.Err(); err == nil || err.Error() != want {
		t.Fatalf("Err() = %v, want %s", err, want)
	}
	if l.Len() != 2 {
		t.Fatalf("Len() = %d, want 2", l.Len())
	}
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok || err.Error() != want {
			t.Fatalf("Check() panicked with %v, want %s", r, want)
		}
	}()
	l.Check()
	t.Fatal("Check() returned with two problems")
}

func TestNewWithoutID(t *testing.T) {
	l := New("pkg.Thing.Grant")
	l.Add("Service is required")
	if err := l.Err(); err == nil || err.Error() != "pkg.Thing.Grant: Service is required" {
		t.Fatalf("Err() = %v", err)
	}
}
