package codegen

import (
	"fmt"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DFA is a deterministic automaton equivalent to a pattern's MatchString,
// built at generation time so generated validators match without the
// regexp engine. Runes are mapped to classes (intervals on which every
// instruction of the pattern agrees); state 0 is dead.
type DFA struct {
	Bounds []rune // class i covers [Bounds[i], Bounds[i+1]); last class ends at MaxRune
	Trans  []uint8
	NClass int
	Start  uint8
	// MatchNow: a match ends here whatever follows (the pattern is not
	// anchored at the end). AtEnd: a match ends here if the input ends.
	MatchNow []bool
	AtEnd    []bool
}

// maxDFAStates bounds the automaton; larger patterns keep using regexp.
const maxDFAStates = 250

// CompileDFA builds the automaton of pattern, or says why it cannot: case
// folding and word boundaries are left to the regexp engine.
func CompileDFA(pattern string) (*DFA, error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, err
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return nil, err
	}
	bounds := map[rune]bool{0: true}
	for _, in := range prog.Inst {
		switch in.Op {
		case syntax.InstRune:
			if syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
				return nil, fmt.Errorf("case folding")
			}
			for i := 0; i+1 < len(in.Rune); i += 2 {
				bounds[in.Rune[i]], bounds[in.Rune[i+1]+1] = true, true
			}
			if len(in.Rune) == 1 {
				bounds[in.Rune[0]], bounds[in.Rune[0]+1] = true, true
			}
		case syntax.InstRune1:
			bounds[in.Rune[0]], bounds[in.Rune[0]+1] = true, true
		case syntax.InstRuneAnyNotNL:
			bounds['\n'], bounds['\n'+1] = true, true
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(in.Arg)&(syntax.EmptyWordBoundary|syntax.EmptyNoWordBoundary) != 0 {
				return nil, fmt.Errorf("word boundaries")
			}
		}
	}
	d := &DFA{}
	for r := range bounds {
		if r <= utf8.MaxRune {
			d.Bounds = append(d.Bounds, r)
		}
	}
	sort.Slice(d.Bounds, func(i, j int) bool { return d.Bounds[i] < d.Bounds[j] })
	d.NClass = len(d.Bounds)
	if d.NClass > 255 {
		return nil, fmt.Errorf("%d rune classes", d.NClass)
	}
	anchored := prog.StartCond()&syntax.EmptyBeginText != 0

	type set = string // sorted pcs, as a map key
	key := func(pcs map[uint32]bool) set {
		list := make([]int, 0, len(pcs))
		for pc := range pcs {
			list = append(list, int(pc))
		}
		sort.Ints(list)
		return fmt.Sprint(list)
	}
	// closure follows empty transitions; begin/end say where we are.
	var closure func(pcs map[uint32]bool, pc uint32, begin, end bool)
	closure = func(pcs map[uint32]bool, pc uint32, begin, end bool) {
		if pcs[pc] {
			return
		}
		pcs[pc] = true
		in := prog.Inst[pc]
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			closure(pcs, in.Out, begin, end)
			closure(pcs, in.Arg, begin, end)
		case syntax.InstCapture, syntax.InstNop:
			closure(pcs, in.Out, begin, end)
		case syntax.InstEmptyWidth:
			op := syntax.EmptyOp(in.Arg)
			if op&(syntax.EmptyBeginText|syntax.EmptyBeginLine) != 0 && !begin {
				return
			}
			if op&(syntax.EmptyEndText|syntax.EmptyEndLine) != 0 && !end {
				return
			}
			closure(pcs, in.Out, begin, end)
		}
	}
	hasMatch := func(pcs map[uint32]bool) bool {
		for pc := range pcs {
			if prog.Inst[pc].Op == syntax.InstMatch {
				return true
			}
		}
		return false
	}
	// A state is the set of pcs reached before following end assertions.
	var states []map[uint32]bool
	index := map[set]uint8{}
	add := func(pcs map[uint32]bool) (uint8, error) {
		k := key(pcs)
		if i, ok := index[k]; ok {
			return i, nil
		}
		if len(states) >= maxDFAStates {
			return 0, fmt.Errorf("more than %d states", maxDFAStates)
		}
		states = append(states, pcs)
		id := uint8(len(states)) // 1-based; 0 is dead
		index[k] = id
		atEnd := map[uint32]bool{}
		for pc := range pcs {
			closure(atEnd, pc, false, true)
		}
		d.MatchNow = append(d.MatchNow, hasMatch(pcs))
		d.AtEnd = append(d.AtEnd, hasMatch(pcs) || hasMatch(atEnd))
		return id, nil
	}
	d.MatchNow, d.AtEnd = []bool{false}, []bool{false}
	start := map[uint32]bool{}
	closure(start, uint32(prog.Start), true, false)
	startAtEnd := map[uint32]bool{}
	closure(startAtEnd, uint32(prog.Start), true, true)
	if d.Start, err = add(start); err != nil {
		return nil, err
	}
	// An empty input: the start state is the end too.
	d.AtEnd[d.Start] = d.AtEnd[d.Start] || hasMatch(startAtEnd)
	for i := 0; i < len(states); i++ {
		row := make([]uint8, d.NClass)
		for c, r := range d.Bounds {
			next := map[uint32]bool{}
			for pc := range states[i] {
				in := prog.Inst[pc]
				switch in.Op {
				case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
					if in.MatchRune(r) {
						closure(next, in.Out, false, false)
					}
				}
			}
			if !anchored {
				closure(next, uint32(prog.Start), false, false)
			}
			if len(next) == 0 {
				continue
			}
			id, err := add(next)
			if err != nil {
				return nil, err
			}
			row[c] = id
		}
		d.Trans = append(d.Trans, row...)
	}
	// Row 0 (dead) is prepended so states index rows directly.
	d.Trans = append(make([]uint8, d.NClass), d.Trans...)
	return d, nil
}

// class returns the class of r.
func (d *DFA) class(r rune) int {
	return sort.Search(len(d.Bounds), func(i int) bool { return d.Bounds[i] > r }) - 1
}

// Match runs the automaton; it agrees with regexp.MatchString.
func (d *DFA) Match(s string) bool {
	state := d.Start
	if d.MatchNow[state] {
		return true
	}
	for _, r := range s {
		state = d.Trans[int(state)*d.NClass+d.class(r)]
		if state == 0 {
			return false
		}
		if d.MatchNow[state] {
			return true
		}
	}
	return d.AtEnd[state]
}

// ASCIIClasses returns the class of each ASCII rune.
func (d *DFA) ASCIIClasses() []int {
	out := make([]int, utf8.RuneSelf)
	for r := range out {
		out[r] = d.class(rune(r))
	}
	return out
}

// literal helpers for the template.

func uint8List(xs []uint8) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(int(x))
	}
	return strings.Join(parts, ", ")
}

func intList(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return strings.Join(parts, ", ")
}

func runeList(xs []rune) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%#x", x)
	}
	return strings.Join(parts, ", ")
}

func boolList(xs []bool) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.FormatBool(x)
	}
	return strings.Join(parts, ", ")
}
