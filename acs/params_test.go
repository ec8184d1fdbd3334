package acs

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestRepeatListRoundTrip(t *testing.T) {
	v := url.Values{}
	EncodeRepeatList(v, "Members", []string{"fd-1", "r-2", "1728"})
	if v.Encode() != "Members.1=fd-1&Members.2=r-2&Members.3=1728" {
		t.Fatalf("encoded %s", v.Encode())
	}
	got, err := DecodeRepeatList(v, "Members")
	if err != nil || !reflect.DeepEqual(got, []string{"fd-1", "r-2", "1728"}) {
		t.Fatalf("decoded %v, %v", got, err)
	}
	if got, err := DecodeRepeatList(url.Values{"Other": {"x"}}, "Members"); got != nil || err != nil {
		t.Fatalf("absent list = %v, %v", got, err)
	}
}

func TestFlatRoundTrip(t *testing.T) {
	v := url.Values{}
	EncodeFlat(v, "Tag", []map[string]string{{"Key": "k1", "Value": "v1"}, {"Key": "k2"}})
	if v.Encode() != "Tag.1.Key=k1&Tag.1.Value=v1&Tag.2.Key=k2" {
		t.Fatalf("encoded %s", v.Encode())
	}
	got, err := DecodeFlat(v, "Tag", "Key", "Value")
	if err != nil || !reflect.DeepEqual(got, []map[string]string{{"Key": "k1", "Value": "v1"}, {"Key": "k2"}}) {
		t.Fatalf("decoded %v, %v", got, err)
	}
}

func TestDecodeRejectsMalformedIndexes(t *testing.T) {
	cases := []struct {
		query string
		flat  bool
		key   string
		says  string
	}{
		{"Members.0=a", false, "Members.0", "whole number from 1"},
		{"Members.x=a", false, "Members.x", "whole number from 1"},
		{"Members.01=a", false, "Members.01", "whole number from 1"},
		{"Members.-1=a", false, "Members.-1", "whole number from 1"},
		{"Members.1=a&Members.3=b", false, "Members.2", "without gaps"},
		{"Members.2=a", false, "Members.1", "without gaps"},
		{"Members.1=a&Members.1=b", false, "Members.1", "given 2 times"},
		{"Members=a", false, "Members", "travels as Members.1"},
		{"Members.1.Key=a", false, "Members.1.Key", "malformed key"},
		{"Tag.1=a", true, "Tag.1", "malformed key"},
		{"Tag.1.Colour=red", true, "Tag.1.Colour", `unknown field "Colour"`},
		{"Tag.2.Key=a", true, "Tag.1", "without gaps"},
	}
	for _, c := range cases {
		v, _ := url.ParseQuery(c.query)
		var err error
		if c.flat {
			_, err = DecodeFlat(v, "Tag", "Key", "Value")
		} else {
			_, err = DecodeRepeatList(v, "Members")
		}
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Key != c.key || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v (key %v), want key %s saying %q", c.query, err, pe, c.key, c.says)
		}
	}
}

// FuzzDecodeRepeatList: any query decodes or fails cleanly; what decodes
// re-encodes to the same list.
func FuzzDecodeRepeatList(f *testing.F) {
	for _, s := range []string{"Members.1=a&Members.2=b", "Members.0=a", "Members.1=a&Members.1=b", "Tag.1.Key=k", "Members.99999999999999999999=a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		v, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		list, err := DecodeRepeatList(v, "Members")
		if err != nil {
			return
		}
		again := url.Values{}
		EncodeRepeatList(again, "Members", list)
		back, err := DecodeRepeatList(again, "Members")
		if err != nil || !reflect.DeepEqual(back, list) {
			t.Fatalf("round trip of %v: %v, %v", list, back, err)
		}
		_, _ = DecodeFlat(v, "Tag", "Key", "Value")
	})
}
