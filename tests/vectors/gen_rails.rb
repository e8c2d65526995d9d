# frozen_string_literal: true
#
# Generates to_query.json, ost_signing.json and ost_webhooks.json with ActiveSupport's own Hash#to_query.
#
#   ruby tests/vectors/gen_rails.rb        (from the repository root; deterministic)
#
# Facts used (seed 000_87a098faffe7ca24.txt, the OST KYC API reference):
# - "Authentication": request_params = custom_params.merge("request_timestamp" => t, "api_key" => key);
#   string_to_sign = "#{endpoint}?#{request_params.to_query}"; signature = HMAC-SHA256 hex with the API secret.
# - "WebHooks / Signature Generation": string_to_sign = webhook_url + "?" + params.to_query, where params is
#   the event plus request_timestamp; the worked example's signature is 34e852b1…868c0a.
#
# What is patched, and why (the OST server's behaviour, which the library reproduces):
# - CGI.escape: the server's Ruby leaves only A-Z a-z 0-9 - . _ bare; space is "+"; every other byte of the
#   UTF-8 form is %XX uppercase. Ruby >= 2.5 leaves "~" bare, so it is replaced here.
# - Array#to_query: an empty array yields "" (AS 6.1 writes `key%5B%5D=` for an empty array inside an array).
# - Array#to_query and Hash#to_query: no empty chunks. AS's own code runs unchanged (including its
#   sort-unless-the-namespace-contains-"[]" rule); its result is then split on "&" and rejoined without empty
#   pieces. Children are already clean when a level runs, so the only empty pieces are "" chunks of children
#   whose entries all vanished; "" sorts first, so dropping them after AS's sort leaves the rest in the order
#   AS gave them. Stripping only the final string would NOT be the same: AS sorts a chunk such as
#   "&b%5B%5D=x" (from [[], "x"]) before "a=1" because of its leading "&".

require "json"
require "openssl"
require "cgi"
require "active_support"
require "active_support/core_ext/object/to_query"
require "rack"

OUT_DIR = File.expand_path(__dir__)

def CGI.escape(string)
  string.to_s.b.gsub(/[^A-Za-z0-9\-._]/n) { |c| c == " " ? "+" : format("%%%02X", c.ord) }.force_encoding(Encoding::UTF_8)
end

def drop_empty_chunks(query)
  query.split("&").reject(&:empty?).join("&")
end

# Set to false to see ActiveSupport 6.1 as shipped (except CGI.escape); used for notes only.
$patched = true

module VanishingEmpties
  module ArrayPatch
    def to_query(key)
      return super unless $patched
      return "" if empty?
      drop_empty_chunks(super)
    end
  end

  module HashPatch
    def to_query(namespace = nil)
      return super unless $patched
      drop_empty_chunks(super)
    end
  end
end
Array.prepend(VanishingEmpties::ArrayPatch)
Hash.prepend(VanishingEmpties::HashPatch)

# The seed doc strips a leading "&" (`to_query.gsub(/^&/, '')`); with the patches there is never one.
def canonical_query(params)
  params.to_query
end

def raw_activesupport(params)
  $patched = false
  params.to_query
ensure
  $patched = true
end

def hmac_hex(secret, data)
  OpenSSL::HMAC.hexdigest("sha256", secret, data)
end

SOURCE_TOOLS = "Ruby #{RUBY_VERSION}, ActiveSupport #{ActiveSupport::VERSION::STRING} Hash#to_query " \
               "(CGI.escape patched to leave only A-Za-z0-9-._ bare; empty arrays and empty chunks vanish), " \
               "Rack #{Rack.release} parse_nested_query, #{OpenSSL::OPENSSL_LIBRARY_VERSION}"

def write_cases(name, source, cases)
  names = cases.map { |c| c["name"] }
  dup = names.group_by(&:itself).select { |_, v| v.size > 1 }.keys
  abort "#{name}: duplicate case names #{dup.inspect}" unless dup.empty?
  path = File.join(OUT_DIR, name)
  File.open(path, "w") do |f|
    f.write("{\"source\": #{JSON.generate(source)},\n\"cases\": [\n")
    f.write(cases.map { |c| JSON.generate(c) }.join(",\n"))
    f.write("\n]}\n")
  end
  size = File.size(path)
  abort "#{name} is #{size} bytes, over 1.5 MB" if size > 1_500_000
  puts "#{name}: #{cases.size} cases, #{size} bytes"
end

RNG = Random.new(20261122)

def pick(list)
  list[RNG.rand(list.size)]
end

def chance(p)
  RNG.rand < p
end

SAFE = [*"a".."z", *"A".."Z", *"0".."9", "-", ".", "_"].freeze
SPECIAL = "~*[] +&=%/?#!'()$,;:@\"<>\\^`{|}".chars.freeze
BRACKETY = ["[", "]", "[]", "][", "[[", "]]"].freeze
UNICODE = ["é", "ü", "ß", "Ω", "中", "文", "😀", "👍🏽", "𝄞", "ﬁ", "e\u0301", "\u00A0", "\u200B", "\u2028",
           "\uFEFF", "\t", "\n", "\r", "\u0000", "\u007F", "\u0080", "\uFFFD", "ÿ"].freeze
NAMES = %w[id id2 email name data user type source version created_at description properties result_type
           user_kyc kyc_status admin_status filters page_number order limit files a b c d e aa ab a_b a-b a.b
           A B Z z _ - .].freeze

def random_text(max_len, pools)
  len = RNG.rand(max_len + 1)
  Array.new(len) do
    r = RNG.rand
    if r < 0.55 then pick(SAFE)
    elsif r < 0.80 then pick(pools.include?(:brackets) ? SPECIAL : SPECIAL - ["[", "]"])
    else pick(UNICODE)
    end
  end.join
end

def digit_key
  chance(0.7) ? RNG.rand(0..40).to_s : RNG.rand(0..99_999).to_s.rjust(RNG.rand(1..6), "0")
end

# A key for an object whose namespace is `ns` (nil at the top). Integer-like keys only where AS sorts the
# chunks, since JSON.parse moves them to the front of an object.
def random_key(ns, taken, brackets: true, allow_empty: true, digits: true, forbidden: [])
  ordered = ns.to_s.include?("[]") || !digits
  50.times do
    r = RNG.rand
    key =
      if r < 0.35 then pick(NAMES)
      elsif r < 0.45 && !ordered then digit_key
      elsif r < 0.52 && allow_empty then ""
      elsif r < 0.62 && brackets then pick(NAMES) + pick(BRACKETY) + (chance(0.5) ? pick(NAMES) : "")
      elsif r < 0.68 && brackets then pick(BRACKETY) + pick(NAMES)
      else random_text(8, brackets ? [:brackets] : [])
      end
    next if taken.include?(key) || forbidden.include?(key)
    next if key.empty? && !allow_empty
    next if ordered && key.match?(/\A\d+\z/)
    return key
  end
  "k#{taken.size}_#{RNG.rand(1_000_000)}"
end

def random_integer
  case RNG.rand(6)
  when 0 then RNG.rand(-10..10)
  when 1 then RNG.rand(0..100_000)
  when 2 then -RNG.rand(0..100_000)
  when 3 then RNG.rand(-(2**53 - 1)..(2**53 - 1))
  when 4 then pick([0, 1, -1, 2**53 - 1, -(2**53 - 1), 2**31, 2**32, 1_542_185_198, 10**15])
  else RNG.rand(0..2**40)
  end
end

# Random JSON-like value under raw namespace `ns` (what AS passes to to_query).
class Budget
  attr_accessor :left
  def initialize(n)
    @left = n
  end
end

def random_scalar(leaf_strings: false, brackets: true)
  return random_text(14, brackets ? [:brackets] : []) if leaf_strings
  r = RNG.rand
  if r < 0.6 then random_text(14, [:brackets])
  elsif r < 0.8 then random_integer
  elsif r < 0.9 then chance(0.5)
  else nil
  end
end

# plain: keys without brackets and never empty (what a form or a JSON API usually holds).
def random_value(ns, depth, budget, plain)
  budget.left -= 1
  r = RNG.rand
  container = depth < 5 && budget.left > 0
  if container && r < 0.18
    random_array(ns, depth, budget, plain)
  elsif container && r < 0.40
    random_object(ns, depth, budget, plain)
  else
    random_scalar
  end
end

def random_array(ns, depth, budget, plain)
  n = chance(0.12) ? 0 : RNG.rand(1..4)
  Array.new(n) { random_value("#{ns}[]", depth + 1, budget, plain) }
end

def random_object(ns, depth, budget, plain)
  n = chance(0.1) ? 0 : RNG.rand(1..5)
  h = {}
  n.times do
    k = random_key(ns, h.keys, brackets: !plain, allow_empty: !plain)
    h[k] = random_value(ns ? "#{ns}[#{k}]" : k, depth + 1, budget, plain)
  end
  h
end

def random_params(budget_size, forbidden: [], plain: false)
  budget = Budget.new(budget_size)
  h = {}
  RNG.rand(1..7).times do
    k = random_key(nil, h.keys, brackets: !plain, allow_empty: !plain, forbidden: forbidden)
    h[k] = random_value(k, 1, budget, plain)
  end
  h
end

# Checks that JSON.parse-style key reordering can never change the expected output: no integer-like key in
# an object whose chunks AS leaves in order.
def check_key_order!(value, ns = nil, where = "")
  case value
  when Hash
    if ns.to_s.include?("[]")
      bad = value.keys.grep(/\A\d+\z/)
      abort "integer-like key #{bad.inspect} in ordered object #{where}" unless bad.empty?
    end
    value.each { |k, v| check_key_order!(v, ns ? "#{ns}[#{k}]" : k, where) }
  when Array
    value.each { |v| check_key_order!(v, "#{ns}[]", where) }
  end
end

# Round-trips through JSON to be sure the input written is exactly the input encoded.
def json_roundtrip!(value, where)
  back = JSON.parse(JSON.generate(value))
  abort "JSON round trip changed #{where}" unless back == value && back.to_a.map(&:first) == value.to_a.map(&:first)
end

# ---------------------------------------------------------------------------------------------------------------
# 1. to_query.json

traps = []
trap = lambda do |name, input, expect = nil, note: nil|
  q = canonical_query(input)
  abort "trap #{name}: expected #{expect.inspect}, got #{q.inspect}" if expect && q != expect
  c = { "name" => name, "input" => input, "query" => q }
  raw = raw_activesupport(input)
  c["note"] = note || "ActiveSupport 6.1 as shipped (with the CGI.escape above) gives #{raw.inspect}" if raw != q || note
  traps << c
end

trap.call("id_and_id2_share_a_prefix", { "id" => 5, "id2" => 3 }, "id2=3&id=5")
trap.call("id_and_id2_strings", { "id2" => "3", "id" => "5" }, "id2=3&id=5")
trap.call("sort_is_on_encoded_chunks_not_keys", { "a b" => 1, "a+b" => 2, "a" => 3, "a-b" => 4, "a_b" => 5, "a.b" => 6, "A" => 7 },
          "A=7&a%2Bb=2&a+b=1&a-b=4&a.b=6&a=3&a_b=5")
trap.call("special_chars_in_value", { "v" => "~ * [ ] space + & = % / ? #" },
          "v=%7E+%2A+%5B+%5D+space+%2B+%26+%3D+%25+%2F+%3F+%23")
trap.call("unreserved_chars_are_bare", { "a-b.c_d" => "A-z.0_9" }, "a-b.c_d=A-z.0_9")
trap.call("tilde_and_star_escaped", { "~" => "~", "*" => "*" }, "%2A=%2A&%7E=%7E")
"~*[]+&=%/?#!'()$,;:@\"<>\\^`{|}".chars.each_with_index do |ch, i|
  trap.call("special_char_key_#{i}_#{format('%02X', ch.ord)}", { "k#{ch}" => "v#{ch}", "#{ch}k" => ch })
end
trap.call("space_in_key_and_value", { "first name" => "Ada Lovelace", " " => " " })
trap.call("all_printable_ascii_value", { "v" => (32..126).map(&:chr).join })
trap.call("all_printable_ascii_key", { (32..126).map(&:chr).join => "v" })
trap.call("control_chars", { "c" => "\t\n\r\u0000\u001F\u007F", "\u0000" => "nul" })
trap.call("unicode_values", { "e" => "é", "zh" => "中文", "emoji" => "😀", "skin" => "👍🏽", "clef" => "𝄞" },
          "clef=%F0%9D%84%9E&e=%C3%A9&emoji=%F0%9F%98%80&skin=%F0%9F%91%8D%F0%9F%8F%BD&zh=%E4%B8%AD%E6%96%87")
trap.call("unicode_keys", { "é" => "1", "中文" => "2", "😀" => "3", "e\u0301" => "4", "ü" => { "ß" => "5" } })
trap.call("unicode_keys_in_arrays", { "a" => [{ "中文" => "x", "é" => "y" }, { "😀" => ["é", "中"] }] })
trap.call("nested_3_levels", { "a" => { "b" => { "c" => "x", "a" => "y" }, "a" => "z" } },
          "a%5Ba%5D=z&a%5Bb%5D%5Ba%5D=y&a%5Bb%5D%5Bc%5D=x")
trap.call("nested_4_levels", { "z" => "0", "a" => { "b" => { "c" => { "d" => "x", "b" => "y" } } } },
          "a%5Bb%5D%5Bc%5D%5Bb%5D=y&a%5Bb%5D%5Bc%5D%5Bd%5D=x&z=0")
trap.call("nested_object_is_one_chunk",
          { "a" => { "x" => "1", "z" => "2" }, "a[y" => "3" },
          "a%5Bx%5D=1&a%5Bz%5D=2&a%5By=3",
          note: "the nested object's joined text sorts as one chunk, so the flattened pairs are not sorted")
trap.call("array_of_scalars_keeps_order", { "a" => ["z", "a", "m", 1, true, false, nil, ""] },
          "a%5B%5D=z&a%5B%5D=a&a%5B%5D=m&a%5B%5D=1&a%5B%5D=true&a%5B%5D=false&a%5B%5D=&a%5B%5D=")
trap.call("array_of_objects_not_sorted_inside", { "a" => [{ "z" => "1", "b" => "2" }, { "y" => "3", "a" => "4" }] },
          "a%5B%5D%5Bz%5D=1&a%5B%5D%5Bb%5D=2&a%5B%5D%5By%5D=3&a%5B%5D%5Ba%5D=4")
trap.call("array_of_nested_objects", { "a" => [{ "z" => { "y" => "1", "x" => "2" }, "b" => ["q", "p"] }] },
          "a%5B%5D%5Bz%5D%5By%5D=1&a%5B%5D%5Bz%5D%5Bx%5D=2&a%5B%5D%5Bb%5D%5B%5D=q&a%5B%5D%5Bb%5D%5B%5D=p")
trap.call("array_of_arrays", { "a" => [["z", "a"], ["b"], "c"] },
          "a%5B%5D%5B%5D=z&a%5B%5D%5B%5D=a&a%5B%5D%5B%5D=b&a%5B%5D=c")
trap.call("array_of_arrays_of_objects", { "a" => [[{ "z" => "1", "a" => "2" }], [[{ "y" => "3" }]]] })
trap.call("mixed_empties_and_integers", { "b" => [{ "z" => 1, "a" => 2 }, "x"], "a" => { "e" => {}, "f" => [] }, "c" => [], "d" => nil, "t" => true },
          "b%5B%5D%5Bz%5D=1&b%5B%5D%5Ba%5D=2&b%5B%5D=x&d=&t=true")
trap.call("empty_params", {}, "")
trap.call("only_empties_top", { "a" => [], "b" => {} }, "")
trap.call("empty_array_top", { "a" => [], "b" => "1" }, "b=1")
trap.call("empty_object_top", { "a" => {}, "b" => "1" }, "b=1")
trap.call("empty_array_and_object_nested", { "x" => { "a" => [], "b" => {}, "c" => "1" }, "y" => "2" }, "x%5Bc%5D=1&y=2")
trap.call("empty_array_inside_array", { "a" => [[], "x", []] }, "a%5B%5D=x")
trap.call("only_empty_array_inside_array", { "a" => [[]], "b" => "1" }, "b=1")
trap.call("empty_object_inside_array", { "a" => [{}, "x", {}] }, "a%5B%5D=x")
trap.call("only_empty_object_inside_array", { "a" => [{}], "b" => "1" }, "b=1")
trap.call("empties_deep_inside_arrays", { "a" => [[[]], [{}], [{ "b" => [] }], { "c" => {} }], "d" => "1" }, "d=1")
trap.call("leading_empty_chunk_sorts_first_in_activesupport", { "b" => [[], "x"], "a" => "1" },
          "a=1&b%5B%5D=x",
          note: "AS 6.1 as shipped: \"a=1&b%5B%5D%5B%5D=&b%5B%5D=x\". With only the empty-array patch the chunk " \
                "for b is \"&b%5B%5D=x\", which AS sorts before \"a=1\": stripping empties only from the final " \
                "string would give \"b%5B%5D=x&a=1\"")
trap.call("leading_empty_object_chunk", { "b" => [{}, "x"], "a" => "1" }, "a=1&b%5B%5D=x")
trap.call("object_whose_entries_all_vanish", { "a" => { "b" => [[]], "c" => [{}] }, "z" => "1" }, "z=1")
trap.call("object_whose_entries_all_vanish_nested", { "m" => "0", "a" => { "b" => { "c" => [[], {}] } }, "z" => "1" }, "m=0&z=1")
trap.call("all_vanish_gives_empty_string", { "a" => [[]], "b" => [{}], "c" => { "d" => [[[]]] } }, "")
trap.call("vanishing_between_values", { "a" => ["1", [], {}, [[]], "2"] }, "a%5B%5D=1&a%5B%5D=2")
trap.call("null_value", { "k" => nil }, "k=")
trap.call("null_nested_and_in_array", { "k" => { "n" => nil }, "a" => [nil, nil] }, "a%5B%5D=&a%5B%5D=&k%5Bn%5D=")
trap.call("empty_string_value", { "k" => "" }, "k=")
trap.call("booleans", { "t" => true, "f" => false, "s" => "true" }, "f=false&s=true&t=true")
trap.call("integers", { "a" => 0, "b" => -1, "c" => 9_007_199_254_740_991, "d" => -9_007_199_254_740_991, "e" => 1_542_185_198 },
          "a=0&b=-1&c=9007199254740991&d=-9007199254740991&e=1542185198")
trap.call("key_with_brackets_turns_off_sorting", { "a[]" => { "z" => "1", "b" => "2" } }, "a%5B%5D%5Bz%5D=1&a%5B%5D%5Bb%5D=2")
trap.call("key_with_brackets_scalar", { "a[]" => "1", "a[b]" => "2", "a" => "3" }, "a%5B%5D=1&a%5Bb%5D=2&a=3")
trap.call("nested_key_with_brackets", { "x" => { "b[]" => { "z" => "1", "a" => "2" }, "a" => { "z" => "1", "a" => "2" } } },
          "x%5Ba%5D%5Ba%5D=2&x%5Ba%5D%5Bz%5D=1&x%5Bb%5B%5D%5D%5Bz%5D=1&x%5Bb%5B%5D%5D%5Ba%5D=2")
trap.call("nested_key_starting_with_close_bracket", { "x" => { "]k" => { "z" => "1", "a" => "2" } } },
          "x%5B%5Dk%5D%5Bz%5D=1&x%5B%5Dk%5D%5Ba%5D=2")
trap.call("nested_key_ending_with_open_bracket", { "x" => { "k[" => { "z" => "1", "a" => "2" } } },
          "x%5Bk%5B%5D%5Bz%5D=1&x%5Bk%5B%5D%5Ba%5D=2")
trap.call("key_with_lone_open_bracket", { "a[" => { "z" => "1", "b" => "2" } }, "a%5B%5Bb%5D=2&a%5B%5Bz%5D=1")
trap.call("key_with_lone_close_bracket", { "a]" => { "z" => "1", "b" => "2" }, "]" => "3" }, "%5D=3&a%5D%5Bb%5D=2&a%5D%5Bz%5D=1")
trap.call("top_key_ending_with_open_bracket_child_close", { "a[" => { "]" => { "z" => "1", "b" => "2" } } },
          "a%5B%5B%5D%5D%5Bz%5D=1&a%5B%5B%5D%5D%5Bb%5D=2")
trap.call("top_key_open_bracket_child_ends_with_open_bracket", { "a[" => { "b[" => { "z" => "1", "b" => "2" } } })
trap.call("brackets_in_array_element_objects", { "a" => [{ "[]" => "1", "]" => "2", "[" => "3" }] },
          "a%5B%5D%5B%5B%5D%5D=1&a%5B%5D%5B%5D%5D=2&a%5B%5D%5B%5B%5D=3")
trap.call("empty_key_top", { "" => "1", "a" => "2" }, "=1&a=2")
trap.call("empty_key_top_object_still_sorted", { "" => { "z" => "1", "b" => "2" } }, "%5Bb%5D=2&%5Bz%5D=1")
trap.call("empty_key_nested", { "a" => { "" => "1", "b" => "2" } }, "a%5B%5D=1&a%5Bb%5D=2")
trap.call("empty_key_nested_turns_off_sorting_below", { "a" => { "" => { "z" => "1", "b" => "2" } } },
          "a%5B%5D%5Bz%5D=1&a%5B%5D%5Bb%5D=2")
trap.call("empty_key_in_array_object", { "a" => [{ "" => "1", "z" => "2", "b" => "3" }] },
          "a%5B%5D%5B%5D=1&a%5B%5D%5Bz%5D=2&a%5B%5D%5Bb%5D=3")
trap.call("digit_keys_top", { "10" => "a", "9" => "b", "2" => "c", "0" => "d" }, "0=d&10=a&2=c&9=b")
trap.call("digit_keys_nested_sorted", { "x" => { "10" => "a", "9" => "b", "007" => "c" } }, "x%5B007%5D=c&x%5B10%5D=a&x%5B9%5D=b")
trap.call("digit_keys_mixed_with_names", { "b" => "1", "1" => "2", "a" => { "2" => "3", "b" => "4" } })
trap.call("plus_and_percent", { "a+b" => "c+d", "%" => "%20", "%41" => "%zz" }, "%2541=%25zz&%25=%2520&a%2Bb=c%2Bd")
trap.call("long_key", { "k" * 300 => "v", "x" => { "é" * 100 => "v" } })
trap.call("many_entries_sorted", (1..40).to_h { |i| ["key#{i}", i] })
trap.call("many_entries_in_array_object", { "a" => [(1..20).to_h { |i| ["key#{21 - i}", i.to_s] }] })
trap.call("seed_webhook_params",
          { "created_at" => "1541144915", "data" => { "result_type" => "user", "user" => { "created_at" => "1541144915", "email" => "yogesh+13233@ost.com", "id" => "11493", "properties" => ["doptin_mail_sent"] } }, "description" => "User has signed up", "id" => "236", "name" => "user_register", "source" => "web", "type" => "user", "version" => "v1", "request_timestamp" => "1542185198" },
          "created_at=1541144915&data%5Bresult_type%5D=user&data%5Buser%5D%5Bcreated_at%5D=1541144915&data%5Buser%5D%5Bemail%5D=yogesh%2B13233%40ost.com&data%5Buser%5D%5Bid%5D=11493&data%5Buser%5D%5Bproperties%5D%5B%5D=doptin_mail_sent&description=User+has+signed+up&id=236&name=user_register&request_timestamp=1542185198&source=web&type=user&version=v1")

random_cases = Array.new(420) do |i|
  input = random_params(RNG.rand(3..40))
  { "name" => format("random_%03d", i), "input" => input, "query" => canonical_query(input) }
end
random_cases += Array.new(220) do |i|
  input = random_params(RNG.rand(3..40), plain: true)
  { "name" => format("random_plain_%03d", i), "input" => input, "query" => canonical_query(input) }
end

# Whether every key is plain: no bracket, never empty.
def plain_keys?(value)
  case value
  when Hash then value.all? { |k, v| !k.empty? && !k.match?(/[\[\]]/) && plain_keys?(v) }
  when Array then value.all? { |v| plain_keys?(v) }
  else true
  end
end

# For plain-keyed inputs: does the query come back unchanged from Rack's parse_nested_query and a new
# to_query? It does not when an array directly holds an array that holds an array or an object (`a[][][]=x`,
# `a[][][k]=x`: Rack has no syntax for them), or when the objects of an array disagree on a key's type
# (`a[][k]=1&a[][k][j]=2` raises). This is Rack 2.2's verdict (the Debian package); Rack 2.2 also fails on a
# key holding a newline and nesting further inside an array of objects (`x[][a%0Ab][]=1` gives
# {"x"=>[{"a"=>"1"}]}: its regexps use `.` and `$`), where Rack 3 succeeds.
def rack_round_trip?(query)
  canonical_query(Rack::Utils.parse_nested_query(query)) == query
rescue Rack::Utils::ParameterTypeError
  false
end

to_query_cases = traps + random_cases
to_query_cases.each do |c|
  check_key_order!(c["input"], nil, c["name"])
  json_roundtrip!(c["input"], c["name"])
  c["rack_round_trip"] = rack_round_trip?(c["query"]) if plain_keys?(c["input"])
end
write_cases("to_query.json", "gen_rails.rb: #{SOURCE_TOOLS}", to_query_cases)

# ---------------------------------------------------------------------------------------------------------------
# 2. ost_signing.json

RESERVED = %w[api_key request_timestamp signature].freeze

def signing_case(name, endpoint, params, api_key, api_secret, timestamp)
  bad = params.keys & RESERVED
  abort "#{name}: params contain #{bad.inspect}" unless bad.empty?
  request_params = params.merge("request_timestamp" => timestamp, "api_key" => api_key)
  string_to_sign = "#{endpoint}?#{canonical_query(request_params)}"
  {
    "name" => name, "endpoint" => endpoint, "params" => params, "api_key" => api_key, "api_secret" => api_secret,
    "timestamp" => timestamp, "string_to_sign" => string_to_sign, "signature" => hmac_hex(api_secret, string_to_sign)
  }
end

signing = []
seed_signing = signing_case("seed_authentication_example", "/api/v2/users", { "email" => "kyc@ost.com" },
                            "API_KEY", "API_SECRET", 1_542_185_198)
unless seed_signing["string_to_sign"] == "/api/v2/users?api_key=API_KEY&email=kyc%40ost.com&request_timestamp=1542185198"
  abort "seed signing string_to_sign is #{seed_signing['string_to_sign']}"
end
signing << seed_signing
signing << signing_case(
  "seed_submit_kyc_all_fields", "/api/v2/users-kyc/11420",
  { "first_name" => "YOGESH", "last_name" => "SAWANT", "birthdate" => "29/07/1992", "country" => "INDIA",
    "nationality" => "INDIAN", "document_id_number" => "DMDPS9634C",
    "document_id_file_path" => "10/i/4ae058629d4b384edcda8decdfbf0dd1",
    "selfie_file_path" => "10/i/4ae058629d4b384edcda8decdfbf0dd2",
    "ethereum_address" => "0x04d39e0b112c20917868ffd5c42372ecc5df577b", "estimated_participation_amount" => "1.2",
    "residence_proof_file_path" => "10/i/4ae058629d4b384edcda8decdfbf0dd3",
    "investor_proof_files_path" => ["10/i/4ae058629d4b384edcda8decdfbf0da1", "10/i/4ae058629d4b384edcda8decdfbf0da2"],
    "city" => "pune", "street_address" => "hadapsar", "postal_code" => "411028", "state" => "maharashtra" },
  "API_KEY", "API_SECRET", 1_542_185_300
)
signing << signing_case("seed_list_users_with_filters", "/api/v2/users",
                        { "page_number" => 1, "order" => "desc", "filters" => { "email" => "kycuser", "is_kyc_submitted" => true }, "limit" => 10 },
                        "API_KEY", "API_SECRET", 1_542_185_400)
signing << signing_case("seed_presigned_urls_for_put", "/api/v2/users-kyc/pre-signed-urls/for-put",
                        { "files" => { "residence_proof" => "application/pdf", "investor_proof_file1" => "application/pdf",
                                       "investor_proof_file2" => "application/pdf", "document_id" => "image/jpeg",
                                       "selfie" => "image/jpeg" } },
                        "API_KEY", "API_SECRET", 1_542_185_500)
signing << signing_case("seed_presigned_urls_for_post", "/api/v2/users-kyc/pre-signed-urls/for-post",
                        { "files" => { "document_id" => "image/jpeg" } }, "API_KEY", "API_SECRET", 1_542_185_501)
signing << signing_case("seed_ethereum_address_validation", "/api/v2/ethereum-address-validation",
                        { "ethereum_address" => "0x81b7e08f65bdf5648606c89998a9cc8164397647" }, "API_KEY", "API_SECRET", 1_542_185_502)
signing << signing_case("seed_get_user_no_params", "/api/v2/users/11420", {}, "API_KEY", "API_SECRET", 1_542_185_503)
signing << signing_case("seed_get_user_kyc_detail", "/api/v2/users-kyc-detail/11420", {}, "API_KEY", "API_SECRET", 1_542_185_504)
signing << signing_case("list_users_all_filters", "/api/v2/users-kyc",
                        { "filters" => { "is_kyc_submitted" => false, "is_doptin_done" => true, "is_doptin_mail_sent" => "true", "email" => "a+b@ost.com" },
                          "page_number" => 2, "order" => "asc", "limit" => 100 },
                        "API_KEY", "API_SECRET", 1_542_185_505)
signing << signing_case("empty_filters_vanish", "/api/v2/users", { "filters" => {}, "page_number" => 1 }, "API_KEY", "API_SECRET", 1_542_185_506)
signing << signing_case("timestamp_zero", "/api/v2/users", { "email" => "kyc@ost.com" }, "API_KEY", "API_SECRET", 0)
signing << signing_case("timestamp_just_below_milliseconds", "/api/v2/users", { "email" => "kyc@ost.com" }, "API_KEY", "API_SECRET", 99_999_999_999)
signing << signing_case("secret_64_bytes", "/api/v2/users", { "email" => "kyc@ost.com" }, "API_KEY", "s" * 64, 1_542_185_198)
signing << signing_case("secret_65_bytes", "/api/v2/users", { "email" => "kyc@ost.com" }, "API_KEY", "s" * 65, 1_542_185_198)
signing << signing_case("secret_1_byte", "/api/v2/users", { "email" => "kyc@ost.com" }, "API_KEY", "s", 1_542_185_198)
signing << signing_case("secret_unicode_over_64_bytes", "/api/v2/users", { "email" => "kyc@ost.com" }, "API_KEY", "秘密🔑é" * 12, 1_542_185_198)
signing << signing_case("api_key_with_specials", "/api/v2/users", { "email" => "kyc@ost.com" }, "key ~*+/=é", "API_SECRET", 1_542_185_198)
signing << signing_case("unicode_endpoint_raw", "/api/v2/ünï/中文", { "q" => "中文" }, "API_KEY", "API_SECRET", 1_542_185_198)

ENDPOINTS = [
  -> { "/api/v2/users" }, -> { "/api/v2/users/#{RNG.rand(1..99_999)}" }, -> { "/api/v2/users-kyc/#{RNG.rand(1..99_999)}" },
  -> { "/api/v2/users-kyc-detail/#{RNG.rand(1..99_999)}" }, -> { "/api/v2/users-kyc" },
  -> { "/api/v2/ethereum-address-validation" }, -> { "/api/v2/users-kyc/pre-signed-urls/for-put" },
  -> { "/api/v2/users-kyc/pre-signed-urls/for-post" }, -> { "/api/v2/users/#{RNG.rand(1..99_999)}/#{pick(NAMES)}" },
  -> { "/" }, -> { "/api/v2/é/#{RNG.rand(100)}" }
].freeze

def random_secret
  len = pick([RNG.rand(1..16), RNG.rand(17..63), 64, 65, RNG.rand(66..200)])
  Array.new(len) { chance(0.7) ? pick(SAFE) : pick(UNICODE + SPECIAL - ["\u0000"]) }.join
end

def random_api_key
  chance(0.8) ? Array.new(RNG.rand(8..40)) { pick(SAFE) }.join : random_secret
end

def random_timestamp
  case RNG.rand(10)
  when 0 then RNG.rand(0..1_000_000)
  when 1 then RNG.rand(0..99_999_999_999)
  else RNG.rand(1_500_000_000..2_100_000_000)
  end
end

150.times do |i|
  params = random_params(RNG.rand(2..25), forbidden: RESERVED, plain: chance(0.3))
  signing << signing_case(format("random_%03d", i), pick(ENDPOINTS).call, params, random_api_key, random_secret, random_timestamp)
end
signing.each do |c|
  check_key_order!(c["params"], nil, c["name"])
  json_roundtrip!(c["params"], c["name"])
end
write_cases("ost_signing.json",
            "gen_rails.rb: #{SOURCE_TOOLS}; request_params = params.merge(request_timestamp, api_key), " \
            "string_to_sign = endpoint + '?' + canonical_query(request_params), HMAC-SHA256 hex (seed 000 Authentication)",
            signing)

# ---------------------------------------------------------------------------------------------------------------
# 3. ost_webhooks.json

SEED_WEBHOOK_SIGNATURE = "34e852b1bb2b73357483ce7d35a837611f098f9e7df580edb0bb735993868c0a"

# The params written are what a receiver parses from the body (Rack::Utils.parse_nested_query), signature
# removed: the same values, in body order, so a parser's output can be compared with them as they are.
def webhook_case(name, url, secret, event)
  abort "#{name}: request_timestamp must be a string" unless event["request_timestamp"].is_a?(String)
  abort "#{name}: params contain signature" if event.key?("signature")
  params = Rack::Utils.parse_nested_query(canonical_query(event))
  abort "#{name}: the event does not survive a Rack round trip" unless canonical_query(params) == canonical_query(event)
  base = url.split(/[?#]/, 2).first
  string_to_sign = "#{base}?#{canonical_query(params)}"
  signature = hmac_hex(secret, string_to_sign)
  {
    "name" => name, "url" => url, "secret" => secret, "params" => params, "string_to_sign" => string_to_sign,
    "signature" => signature, "body" => canonical_query(params.merge("signature" => signature))
  }.tap do |c|
    received = Rack::Utils.parse_nested_query(c["body"])
    abort "#{name}: body signature" unless received.delete("signature") == signature
    abort "#{name}: body does not parse back to params" unless JSON.generate(received) == JSON.generate(params)
  end
end

def string_leaves?(value)
  case value
  when Hash then value.values.all? { |v| string_leaves?(v) }
  when Array then value.all? { |v| string_leaves?(v) }
  else value.is_a?(String)
  end
end

webhooks = []
seed_params = { "created_at" => "1541144915",
                "data" => { "result_type" => "user",
                            "user" => { "created_at" => "1541144915", "email" => "yogesh+13233@ost.com", "id" => "11493",
                                        "properties" => ["doptin_mail_sent"] } },
                "description" => "User has signed up", "id" => "236", "name" => "user_register", "source" => "web",
                "type" => "user", "version" => "v1", "request_timestamp" => "1542185198" }
seed = webhook_case("seed_user_register", "https://webhook.ost.com/test/", "WEBHOOK_SECRET_KEY", seed_params)
abort "seed webhook signature is #{seed['signature']}, not #{SEED_WEBHOOK_SIGNATURE}" unless seed["signature"] == SEED_WEBHOOK_SIGNATURE
webhooks << seed

def user_kyc_event(created_at, name, description, source, request_timestamp, kyc)
  { "created_at" => created_at, "data" => { "result_type" => "user_kyc", "user_kyc" => kyc }, "description" => description,
    "id" => kyc.delete("event_id"), "name" => name, "source" => source, "type" => "user_kyc", "version" => "v1",
    "request_timestamp" => request_timestamp }
end

def kyc(event_id, admin, aml, created, id, status, by, count, user, detail, white)
  { "event_id" => event_id, "admin_status" => admin, "aml_status" => aml, "created_at" => created, "id" => id,
    "kyc_status" => status, "last_acted_by" => by, "submission_count" => count, "user_id" => user,
    "user_kyc_detail_id" => detail, "whitelist_status" => white }
end

hook = "https://webhook.ost.com/test/"
key = "WEBHOOK_SECRET_KEY"
webhooks << webhook_case("seed_shape_kyc_submit", hook, key,
                         user_kyc_event("1541753766", "kyc_submit", "User has submitted kyc data", "api", "1541753770",
                                        kyc("345", "unprocessed", "cleared", "1541753703", "337", "pending", "", "2", "11483", "820", "unprocessed")))
webhooks << webhook_case("seed_shape_update_ethereum_address", hook, key,
                         user_kyc_event("1541756913", "update_ethereum_address", "Admin has updates ethereum address of user", "web", "1541756919",
                                        kyc("353", "unprocessed", "cleared", "1541755701", "338", "pending", "all is well kyc", "2", "11497", "823", "unprocessed")))
webhooks << webhook_case("seed_shape_kyc_reopen", hook, key,
                         user_kyc_event("1541144431", "kyc_reopen", "user kyc case was reopened by admin", "web", "1541144436",
                                        kyc("232", "unprocessed", "cleared", "1538648382", "284", "pending", "yogesh + 6", "5", "11404", "613", "unprocessed")))
webhooks << webhook_case("seed_shape_kyc_status_update", hook, key,
                         user_kyc_event("1541154581", "kyc_status_update", "user kyc state has changed", "web", "1541154583",
                                        kyc("256", "qualified", "cleared", "1541152723", "328", "approved", "yogesh + 6", "3", "11493", "790", "unprocessed")))
status_update = user_kyc_event("1541154581", "kyc_status_update", "user kyc state has changed", "kyc_system", "1541154590",
                               kyc("257", "denied", "rejected", "1541152723", "328", "denied", "Admin Name", "3", "11493", "790", "unprocessed"))
status_update["data"]["user_kyc"]["admin_action_types"] = ["data_mismatch", "document_issue"]
webhooks << webhook_case("kyc_status_update_with_admin_action_types", hook, key, status_update)
webhooks << webhook_case("seed_shape_user_dopt_in", hook, key,
                         { "created_at" => "1541152654", "data" => { "result_type" => "user", "user" => { "created_at" => "1541144915", "email" => "yogesh+13233@ost.com", "id" => "11493", "properties" => ["doptin_mail_sent", "doptin_done"] } },
                           "description" => "User has done double opt in", "id" => "241", "name" => "user_dopt_in", "source" => "web", "type" => "user", "version" => "v1", "request_timestamp" => "1541152655" })
webhooks << webhook_case("seed_shape_user_deleted", hook, key,
                         { "created_at" => "1541144571", "data" => { "result_type" => "user", "user" => { "created_at" => "1541144915", "email" => "yogesh@ost.com", "id" => "11404", "properties" => ["doptin_mail_sent", "doptin_done", "kyc_submitted"] } },
                           "description" => "User was deletd by admin", "id" => "234", "name" => "user_deleted", "source" => "web", "type" => "user", "version" => "v1", "request_timestamp" => "1541144575" })
webhooks << webhook_case("seed_params_url_with_query_dropped", "https://webhook.ost.com/test/?x=1", key, seed_params)
webhooks << webhook_case("seed_params_url_with_fragment_dropped", "https://webhook.ost.com/test/#frag", key, seed_params)
webhooks << webhook_case("seed_params_url_with_port", "http://127.0.0.1:3000/hooks/ost", key, seed_params)
webhooks << webhook_case("seed_params_url_without_trailing_slash", "https://webhook.ost.com/test", key, seed_params)
webhooks << webhook_case("nested_keys_named_signature_and_request_timestamp", hook, key,
                         { "data" => { "signature" => "not-the-signature", "request_timestamp" => "1" }, "id" => "1", "request_timestamp" => "1541144575" })
webhooks << webhook_case("unicode_secret_and_values", hook, "秘密🔑é" * 10,
                         { "data" => { "user" => { "first_name" => "Zoë", "city" => "北京", "note" => "~*[] +&=%/?#😀" } }, "id" => "9", "request_timestamp" => "1700000000" })

URLS = [
  -> { "https://webhook.ost.com/test/" }, -> { "https://example.com/webhooks/ost" },
  -> { "http://127.0.0.1:3000/hooks/ost" }, -> { "https://example.com/webhooks/ost?x=1" },
  -> { "http://localhost:#{RNG.rand(1..65_535)}/h/#{RNG.rand(1000)}" }, -> { "https://EXAMPLE.com/Hooks/OST/?token=a&b=2" },
  -> { "https://example.com:8443/a/b/c/" }, -> { "https://example.com/webhooks/ost#frag" }
].freeze
EVENT_NAMES = %w[user_register user_dopt_in user_deleted kyc_submit update_ethereum_address kyc_reopen kyc_status_update].freeze

def webhook_key(taken, top)
  random_key(top ? nil : "data", taken, brackets: false, allow_empty: false, digits: false,
             forbidden: top ? %w[signature request_timestamp] : [])
end

def random_event_value(depth, budget)
  budget.left -= 1
  r = RNG.rand
  if depth < 4 && budget.left > 0 && r < 0.25
    h = {}
    RNG.rand(1..4).times { k = webhook_key(h.keys, false); h[k] = random_event_value(depth + 1, budget) }
    h
  elsif depth < 4 && r < 0.40
    Array.new(RNG.rand(1..4)) { random_scalar(leaf_strings: true, brackets: false) }
  else
    chance(0.5) ? RNG.rand(0..2_000_000_000).to_s : random_scalar(leaf_strings: true, brackets: false)
  end
end

80.times do |i|
  ts = RNG.rand(1_500_000_000..2_100_000_000)
  budget = Budget.new(RNG.rand(3..25))
  user = {}
  RNG.rand(1..6).times { k = webhook_key(user.keys, false); user[k] = random_event_value(2, budget) }
  result_type = pick(%w[user user_kyc])
  params = { "created_at" => (ts - RNG.rand(0..100)).to_s, "data" => { "result_type" => result_type, result_type => user },
             "description" => random_text(30, []), "id" => RNG.rand(1..999_999).to_s, "name" => pick(EVENT_NAMES),
             "source" => pick(%w[web api kyc_system]), "type" => result_type, "version" => "v1" }
  RNG.rand(0..3).times { k = webhook_key(params.keys, true); params[k] = random_event_value(1, budget) }
  params["request_timestamp"] = ts.to_s
  webhooks << webhook_case(format("random_%03d", i), pick(URLS).call, random_secret, params)
end
webhooks.each do |c|
  abort "#{c['name']}: a leaf is not a string" unless string_leaves?(c["params"])
  json_roundtrip!(c["params"], c["name"])
end
write_cases("ost_webhooks.json",
            "gen_rails.rb: #{SOURCE_TOOLS}; string_to_sign = url without query + '?' + canonical_query(params), " \
            "HMAC-SHA256 hex, body = canonical_query(params + signature) (seed 000 WebHooks / Signature Generation)",
            webhooks)
