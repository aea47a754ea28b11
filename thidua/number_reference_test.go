package thidua

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// formatNumberReference is FormatNumber as it was before whole numbers took
// a path of their own (the commit that added this file), unchanged but for
// its name. It is kept as the reference FormatNumber must match byte for
// byte for any number: TestFormatNumberMatchesReference and
// FuzzFormatNumberMatchesReference check that.
func formatNumberReference(v float64) string {
	var buf [48]byte
	decimals := 2
	if whole := len(strconv.AppendFloat(buf[:0], math.Abs(v), 'f', 0, 64)); whole > 13 {
		decimals = max(0, 15-whole)
	}
	digits := strconv.AppendFloat(buf[:0], math.Abs(v), 'f', decimals, 64)
	intPart, frac := digits, []byte(nil)
	if dot := bytes.IndexByte(digits, '.'); dot >= 0 {
		intPart, frac = digits[:dot], bytes.TrimRight(digits[dot+1:], "0")
	}
	out := make([]byte, 0, len(digits)+len(digits)/3+2)
	if v < 0 && (string(intPart) != "0" || len(frac) > 0) {
		out = append(out, '-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			out = append(out, '.')
		}
		out = append(out, c)
	}
	if len(frac) > 0 {
		out = append(append(out, ','), frac...)
	}
	return string(out)
}

// numberCases are numbers on either side of every edge of FormatNumber:
// zero and minus zero, each power of ten up to past the 13 digits of the
// whole numbers' path (and one either side of it, and of its half), values
// that round to a whole number or up to the next power, tiny and huge
// values, and what is not a number.
func numberCases() []float64 {
	vs := []float64{0, math.Copysign(0, -1), 0.004, 0.005, 0.5, 0.994, 0.995, 0.999, 1, 1.5, 9.995, 99.999,
		999.995, 1234.5, 25.3, 1e13 - 0.5, 1e13 - 0.25, 1e13, 1e13 + 1, 9999999999999.4, 9999999999999.6,
		math.SmallestNonzeroFloat64, math.MaxFloat64, math.MaxInt64, math.MinInt64, 1 << 53, 1<<53 + 2,
		math.NaN(), math.Inf(1), math.Inf(-1)}
	for p := 1.0; p < 1e22; p *= 10 {
		for _, d := range []float64{-1, -0.5, -0.001, 0, 0.001, 0.5, 1} {
			vs = append(vs, p+d, p*1.5+d)
		}
	}
	out := vs
	for _, v := range vs {
		out = append(out, -v)
	}
	return out
}

func TestFormatNumberMatchesReference(t *testing.T) {
	check := func(v float64) {
		t.Helper()
		if got, want := FormatNumber(v), formatNumberReference(v); got != want {
			t.Fatalf("FormatNumber(%v) = %q, want %q", v, got, want)
		}
	}
	for _, v := range numberCases() {
		check(v)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		check(float64(rng.Int64N(2e13) - 1e13))                          // whole, on the fast path and past it
		check(float64(rng.Int64N(2e6)-1e6) / 100)                        // two decimals, as values are typed
		check(math.Round(rng.Float64()*2000) / 2)                        // halves, as percentages of a target
		check(math.Float64frombits(rng.Uint64()))                        // anything a float64 holds
		check(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(30)-8))) // any magnitude
	}
}

// FuzzFormatNumberMatchesReference checks that FormatNumber writes any
// number exactly as formatNumberReference does.
func FuzzFormatNumberMatchesReference(f *testing.F) {
	for _, v := range numberCases() {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		if got, want := FormatNumber(v), formatNumberReference(v); got != want {
			t.Fatalf("FormatNumber(%v) = %q, want %q", v, got, want)
		}
	})
}
