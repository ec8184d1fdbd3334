package metaimport

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/spec"
	"gopkg.in/yaml.v3"
)

// TestProseLimits reads the limit sentences of the vendor's metadata, in
// Chinese and English, into facts; a sentence that looks like a limit but
// cannot be read is reported, never dropped.
func TestProseLimits(t *testing.T) {
	cases := []struct {
		desc           string
		array, integer bool
		want           string // keyword=value;… in order
		unread         int
	}{
		{"备注。\n\n最大长度为1024个字符。", false, false, "maxLength=1024", 0},
		{"资源夹名称。\n\n长度为1~24个字符或汉字，可包含汉字、英文字母、数字、下划线（_）、半角句号（.）和短划线（-）。", false, false,
			`minLength=1;maxLength=24;pattern=^[\p{Han}A-Za-z0-9_.\-]+$`, 0},
		{"管控策略名称。\n\n长度为1~128个字符，必须以英文字母开头，可以包含英文字母、数字和短划线（-）。", false, false,
			`minLength=1;maxLength=128;pattern=^[A-Za-z][A-Za-z0-9\-]*$`, 0},
		{"分页时每页显示的数据行数。\n\n取值范围：1~100。默认值：10。", false, true, "minimum=1;maximum=100;default=10", 0},
		{"页码。\n\n起始值：1。默认值：1。", false, true, "minimum=1;default=1", 0},
		{"绑定目标。取值：\n\n- 资源目录ID。\n- 资源夹ID。\n\nN的取值范围：1~5，即每次最多添加5个绑定目标。", true, false, "minItems=1;maxItems=5", 0},
		{"资源目录成员ID。\n\n最多可以指定50个。", true, false, "maxItems=50", 0},
		{"开启或关闭成员删除许可。取值：\n\n- Enabled：开启。\n- Disabled：关闭。", false, false, "enum=Enabled,Disabled", 0},
		{"指定语言。取值：\n\n- zh-CN（默认值）：中文。\n- en：英文。", false, false, "enum=zh-CN,en;default=zh-CN", 0},
		{"资源类型。\n\n取值：Account，表示资源目录的成员。", false, false, "enum=Account", 0},
		{"目标节点。取值：\n\n- Root ID：为Root资源夹绑定管控策略。\n- 资源夹ID：为资源夹绑定管控策略。", false, false, "", 0},
		{"联系人的手机号码。\n\n格式：`<国家码>-<手机号码>`。", false, false, `pattern=^[0-9]{1,4}-[0-9]{4,}$`, 0},
		{"The note. The value can be up to 1024 characters in length.", false, false, "maxLength=1024", 0},
		{"Valid values: 1 to 100. Default value: 10.", false, true, "minimum=1;maximum=100;default=10", 0},
		// Sites: a limit both sites state alike is a fact of both; one the
		// sites state differently, or only one site states, is the site's.
		{"<props=\"china\">长度范围：2~50个字符或汉字。</props>\n<props=\"intl\">长度范围：2~37个字符。</props>", false, false, "minLength=2;maxLength@china=50;maxLength@intl=37", 0},
		{"名称。<props=\"intl\">最大长度为64个字符。</props>", false, false, "maxLength@intl=64", 0},
		{"<props=\"china\">最大长度为64个字符。</props><props=\"intl\">最大长度为64个字符。</props>", false, false, "maxLength=64", 0},
		{"最大长度为32个字符。<props=\"china\">最大长度为64个字符。</props>", false, false, "maxLength=32", 0},
		{"<props=\"partner\">最大长度为16个字符。</props>", false, false, "maxLength=16", 0},
		{"新管理账号名称。\n\n<前缀>的长度为2~50个字符。", false, false, "", 1},
		{"联系人的名称。\n\n格式：2~12个英文字母或汉字。", false, false, `minLength=2;maxLength=12;pattern=^[\p{Han}A-Za-z]+$`, 0},
		{"名称。\n\n格式：2~50个字符或汉字。", false, false, "minLength=2;maxLength=50", 0},
		{"单次请求返回结果的最大条数。", false, true, "", 0},
		// Every clause of allowed characters counts; a negated one none; the
		// first characters are allowed in the rest too.
		{"TLS策略名称。长度为2~200个字符，支持中文和大小写英文字母，可包含数字、半角句号（.）、下划线（_）和短划线（-）。", false, false,
			`minLength=2;maxLength=200;pattern=^[\p{Han}A-Za-z0-9_.\-]+$`, 0},
		{"名称。长度为2~200个英文或中文字符，必须以大小写字母或中文开头，可包含数字、半角句号（.）、下划线（_）和短划线（-）。", false, false,
			`minLength=2;maxLength=200;pattern=^[\p{Han}A-Za-z][0-9_.\-\p{Han}A-Za-z]*$`, 0},
		{"长度为2~64个字符，可包含英文字母、数字和特殊字符`.@-_`。", false, false, `minLength=2;maxLength=64;pattern=^[A-Za-z0-9.@\-_]+$`, 0},
		{"数据库账号密码。\n\n- 由大写字母、小写字母、数字、特殊字符中的任意三种组成。\n- 密码长度为8~32个字符。", false, false, `minLength=8;maxLength=32`, 0},
		{"名称。长度为1~64个字符，不支持中文，可包含英文字母和数字。", false, false, `minLength=1;maxLength=64;pattern=^[A-Za-z0-9]+$`, 0},
		{"最大会话时间。\n\n取值范围：3600秒~43200秒。", false, true, "minimum=3600;maximum=43200", 0},
		{"资源类型列表。\n\n最多支持50组。", true, false, "maxItems=50", 0},
		{"资源列表。\n\n每次最多转移10个资源。", true, false, "maxItems=10", 0},
		{"标签键。\n\n最多支持128个字符，不能以`aliyun`开头。", false, false, "maxLength=128", 0},
		{"标签键列表。\n\n最多支持128个字符。", true, false, "", 1}, // a length, not a count, on a list: left unread
	}
	for _, c := range cases {
		r := Read(c.desc, c.array, c.integer)
		var got []string
		for _, f := range append(r.Facts, r.SiteFacts...) {
			if f.Site != "" {
				f.Keyword += "@" + f.Site
			}
			switch strings.Split(f.Keyword, "@")[0] {
			case "enum", "default":
				got = append(got, f.Keyword+"="+strings.Join(f.Values, ","))
			case "pattern":
				got = append(got, f.Keyword+"="+f.Pattern)
			default:
				got = append(got, f.Keyword+"="+itoa(f.Int))
			}
			if f.Quote == "" {
				t.Errorf("%q: fact %s without its sentence", c.desc, f.Keyword)
			}
		}
		if strings.Join(got, ";") != c.want || len(r.Unread) != c.unread {
			t.Errorf("%q:\n got  %s (unread %q)\n want %s (unread %d)", c.desc, strings.Join(got, ";"), r.Unread, c.want, c.unread)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func fixture(t testing.TB) []byte {
	data, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "metadata", "resourcedirectorymaster-2022-04-19.api-docs.json"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestImportHoldsTheWholeCatalogue: every API, parameter and error entry of
// the metadata is in the layer, and the layer loads under the contract.
func TestImportHoldsTheWholeCatalogue(t *testing.T) {
	doc, err := Parse("m.json", fixture(t))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import(doc, Options{File: "fixtures/metadata/x.json"})
	if err != nil {
		t.Fatal(err)
	}
	api, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	params, codes := 0, 0
	for _, action := range doc.Actions() {
		a := doc.APIs[action]
		op := api.Operation(action)
		if op == nil {
			t.Errorf("%s is not in the contract", action)
			continue
		}
		for _, p := range a.Parameters {
			params++
			if op.Param(p.Name) == nil {
				t.Errorf("%s: parameter %s is lost", action, p.Name)
			}
		}
		for _, list := range a.ErrorCodes {
			for _, e := range list {
				codes++
				if op.Error(e.Code) == nil {
					t.Errorf("%s: error %s is lost", action, e.Code)
				}
			}
		}
	}
	if res.Ops != 70 || params != 163 || codes != 329 {
		t.Errorf("the metadata has %d APIs, %d parameters, %d error entries; want 70, 163, 329", res.Ops, params, codes)
	}
	a, b := string(res.Document), ""
	if res2, _ := Import(doc, Options{File: "fixtures/metadata/x.json"}); res2 != nil {
		b = string(res2.Document)
	}
	if a != b {
		t.Error("two imports of the same metadata differ")
	}
}

// TestParseRefusesWhatIsNotMetadata names the file, line and column.
func TestParseRefusesWhatIsNotMetadata(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"", "the file is empty"},
		{"{\n  \"info\": [\n", "x.json:3:1: not JSON"},
		{`{"info": {"product": "P", "version": "1"}, "apis": {"A": {"parameters": [{"name": 3}]}}}`, "x.json:1:"},
		{`{"info": {"product": "P", "version": "1"}}`, "apis is empty"},
		{`{"info": {}}`, "info.product and info.version are missing"},
		{`{"info": {"product": "P", "version": "1", "style": "OSS"}, "apis": {"A": {}}}`, "only RPC products"},
		{`{"info": {"product": "P", "version": "1"}, "apis": {"A": {"parameters": [{"name": "X"}]}}}`, "a parameter needs a name and a schema"},
	} {
		_, err := Parse("x.json", []byte(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.data, err, c.want)
		}
	}
}

// FuzzImport: any bytes parse or are refused, and what parses imports
// without a panic.
func FuzzImport(f *testing.F) {
	f.Add(fixture(f))
	f.Add([]byte(`{"info": {"product": "P", "version": "1"}, "apis": {"A": {"parameters": [{"name": "X", "schema": {"type": "string", "description": "长度为1~5个字符"}}], "errorCodes": {"400": [{"errorCode": "InvalidParameter.X", "errorMessage": "%s"}]}}}}`))
	for _, shape := range shapeVariants {
		f.Add([]byte(shape))
	}
	// The vendor's own files, the small ones (a fuzz run mutates each).
	if files, _ := filepath.Glob(filepath.Join(sharedProducts, "*.api-docs.json")); len(files) > 0 {
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil && len(data) < 50_000 {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse("f.json", data)
		if err != nil {
			return
		}
		res, err := Import(doc, Options{File: "f.json"})
		if err != nil {
			t.Fatal(err)
		}
		var back yaml.Node
		if err := yaml.Unmarshal(res.Document, &back); err != nil {
			t.Fatalf("the imported layer does not read back: %v", err)
		}
	})
}

// sharedProducts holds the vendor's metadata of other products, beside the
// clone (absent elsewhere: the tests that read it skip).
var sharedProducts = filepath.Join("..", "..", "..", "shared", "metadata", "products")

// shapeVariants are the shapes the vendor's files take beyond the two
// products of the contract: nested and bare-name topics, dotted parameter
// names, a list example in one text with a full-width comma, a flat list
// item without a schema.
var shapeVariants = []string{
	`{"info": {"style": "RPC", "product": "P", "version": "1"}, "directories": [{"title": "T", "children": [{"title": "U", "children": ["A"]}, "B"]}, 7], "apis": {"A": {"parameters": []}, "B": {"parameters": []}}}`,
	`{"info": {"style": "RPC", "product": "P", "version": "1"}, "directories": ["A", "B"], "apis": {"A": {}, "B": {}}}`,
	`{"info": {"style": "RPC", "product": "P", "version": "1"}, "directories": "A", "apis": {"A": {}}}`,
	`{"info": {"style": "RPC", "product": "P", "version": "1"}, "apis": {"A": {"parameters": [{"name": "Name", "in": "query", "schema": {"type": "string", "pattern": "^[0-9]+$", "description": "名称。默认值：abc。"}}]}}}`,
	`{"info": {"style": "RPC", "product": "P", "version": "1"}, "apis": {"A": {"parameters": [{"name": "SystemDisk.Size", "in": "query", "schema": {"type": "integer", "example": "40"}}, {"name": "Ids", "in": "query", "style": "repeatList", "schema": {"type": "array", "items": {"type": "integer", "example": "123456，145678"}}}, {"name": "Tag", "in": "query", "style": "flat", "schema": {"type": "array", "items": {"type": "object", "properties": {"Key": null}}}}]}}}`,
}

// TestShapeVariants: every shape reads, topics from nested directories
// carry their path, what cannot be read is named, and a list example in
// one text becomes its items.
func TestShapeVariants(t *testing.T) {
	for i, shape := range shapeVariants {
		doc, err := Parse("v.json", []byte(shape))
		if err != nil {
			t.Fatalf("variant %d: %v", i, err)
		}
		res, err := Import(doc, Options{File: "v.json"})
		if err != nil {
			t.Fatalf("variant %d: %v", i, err)
		}
		switch i {
		case 0:
			if doc.Topic("A") != "T / U" || doc.Topic("B") != "T" || len(doc.Directories.Skipped) != 1 {
				t.Errorf("nested topics: A %q, B %q, skipped %v", doc.Topic("A"), doc.Topic("B"), doc.Directories.Skipped)
			}
		case 1:
			if doc.Topic("A") != "" || len(doc.Directories.List) != 1 || len(doc.Directories.List[0].Children) != 2 {
				t.Errorf("bare names: %+v", doc.Directories.List)
			}
		case 3:
			if strings.Contains(string(res.Document), "default:") || !strings.Contains(fmt.Sprint(res.Findings), "disagrees with itself") {
				t.Errorf("a default outside its own pattern is kept, or not recorded: %v\n%s", res.Findings, res.Document)
			}
		case 4:
			if !strings.Contains(string(res.Document), "SystemDisk.Size") || !regexp.MustCompile(`(?s)Ids.*?example:\s*\n\s*- 123456\n\s*- 145678`).Match(res.Document) {
				t.Errorf("dotted name or list example:\n%s", res.Document)
			}
		}
	}
}

// TestVendorFilesImport: every RPC file of the vendor's other products
// imports without an internal error, and its layer reads back; the other
// styles are refused naming the style.
func TestVendorFilesImport(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedProducts, "*.api-docs.json"))
	if len(files) == 0 {
		t.Skipf("no vendor metadata at %s (it sits beside the clone in CI)", sharedProducts)
	}
	rpc := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Parse(filepath.Base(file), data)
		if err != nil {
			if !strings.Contains(err.Error(), "info.style is") {
				t.Errorf("%v", err)
			}
			continue
		}
		rpc++
		res, err := Import(doc, Options{File: filepath.Base(file)})
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(file), err)
			continue
		}
		var back yaml.Node
		if err := yaml.Unmarshal(res.Document, &back); err != nil {
			t.Errorf("%s: the imported layer does not read back: %v", filepath.Base(file), err)
		}
	}
	t.Logf("%d of %d files import (RPC and ROA)", rpc, len(files))
}

// BenchmarkImport times the import of the whole product.
func BenchmarkImport(b *testing.B) {
	data := fixture(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		doc, err := Parse("m.json", data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Import(doc, Options{File: "m.json"}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestNeedless reads when a description says its parameter need not be set.
func TestNeedless(t *testing.T) {
	cases := []struct{ desc, param, value string }{
		{"标签键。\n\n最多可以解绑20个标签键。\n\n> 当解绑全部标签的参数`All`取值为`true`时，不需要设置标签键。", "All", "true"},
		{"The tag keys. If you set All to true, you do not need to specify this parameter.", "All", "true"},
		{"标签键。最多可以解绑20个标签键。", "", ""},
	}
	for _, c := range cases {
		p, v, ok := Needless(c.desc)
		if p != c.param || v != c.value || ok != (c.param != "") {
			t.Errorf("%q: got %q=%q (%v), want %q=%q", c.desc, p, v, ok, c.param, c.value)
		}
	}
}
