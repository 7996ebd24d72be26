// The CIB's XML reader: what it accepts, and located errors (never a crash) for everything else.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <fstream>
#include <sstream>

#include "acdsim/model/xml_reader.hpp"

namespace acdsim::model::xml {
namespace {

std::string jtel_cib() {
  std::ifstream in(ACDSIM_SOURCE_DIR "/tests/fidelity/data/cib-jtel.xml");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(XmlReader, ReadsElementsAttributesAndPaths) {
  const Element root = parse(
      "<?xml version=\"1.0\"?>\n<!-- c -->\n<cib a='1' b=\"x &amp; &lt;y&gt; &#65;&#x42;\">\n"
      "  <nodes><node uname=\"n1\"/><node uname=\"n2\"></node></nodes>\n  text &quot; <![CDATA[<raw>]]>\n</cib>\n");
  EXPECT_EQ(root.name, "cib");
  EXPECT_EQ(root.attribute("a"), "1");
  EXPECT_EQ(root.attribute("b"), "x & <y> AB");
  ASSERT_EQ(root.all("nodes").size(), 1u);
  const auto nodes = root.first("nodes")->all("node");
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[1]->attribute("uname"), "n2");
  EXPECT_EQ(nodes[0]->path, "/cib/nodes/node");
  EXPECT_EQ(nodes[1]->path, "/cib/nodes/node[2]");
  EXPECT_EQ(nodes[1]->line, 4);
}

TEST(XmlReader, ReadsTheJtelCib) {
  const Element root = parse(jtel_cib());
  EXPECT_EQ(root.first("configuration")->first("nodes")->all("node").size(), 2u);
}

struct Bad {
  const char* text;
  const char* message;  // a part of the error
  int line;
};

TEST(XmlReader, RejectsMalformedInputWithLocatedErrors) {
  const Bad cases[] = {
      {"", "expected the root element", 1},
      {"plain text", "expected the root element", 1},
      {"<a>", "not closed", 1},
      {"<a><b></a>", "does not match <b>", 1},
      {"<a></b>", "does not match <a>", 1},
      {"</a>", "without an open element", 1},
      {"<a/><b/>", "content after the root element", 1},
      {"<a x='1' x='2'/>", "duplicate attribute x", 1},
      {"<a x=1/>", "expected a quoted value", 1},
      {"<a x='1/>", "unterminated value", 1},
      {"<a x='<'/>", "'<' in the value", 1},
      {"<a x='&foo;'/>", "undefined entity &foo;", 1},
      {"<a x='&#0;'/>", "invalid character", 1},
      {"<a x='&#xD800;'/>", "invalid character", 1},
      {"<a x='&#99999999;'/>", "beyond Unicode", 1},
      {"<a x='&#x;'/>", "empty character reference", 1},
      {"<a x='& b'/>", "not followed by a reference", 1},
      {"<!DOCTYPE a [<!ENTITY e 'x'>]><a/>", "DOCTYPE", 1},
      {"<a><!DOCTYPE x></a>", "DOCTYPE", 1},
      {"<a>\n<!-- open", "unterminated comment", 2},
      {"<a><![CDATA[x</a>", "unterminated CDATA", 1},
      {"<a y='1'z='2'/>", "whitespace before an attribute", 1},
      {"<1a/>", "expected a name", 1},
      {"<a>\n\n<b", "unterminated tag <b>", 3},
      {"<a/>trailing", "content after the root element", 1},
  };
  for (const Bad& b : cases) {
    try {
      parse(b.text);
      ADD_FAILURE() << "accepted: " << b.text;
    } catch (const XmlError& e) {
      EXPECT_NE(std::string(e.what()).find(b.message), std::string::npos) << b.text << " -> " << e.what();
      EXPECT_EQ(e.line(), b.line) << b.text;
    }
  }
}

TEST(XmlReader, ErrorsNameTheElementPath) {
  try {
    parse("<cib>\n<nodes>\n<node uname='a'/>\n<node uname='b' uname='c'/>\n</nodes></cib>");
    FAIL();
  } catch (const XmlError& e) {
    EXPECT_EQ(e.path(), "/cib/nodes/node[2]");
    EXPECT_EQ(e.line(), 4);
  }
}

TEST(XmlReader, RefusesDeepNestingWithoutRecursion) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<a>";
  EXPECT_THROW(parse(deep), XmlError);
  std::string ok;
  for (int i = 0; i < kMaxDepth; ++i) ok += "<a>";
  for (int i = 0; i < kMaxDepth; ++i) ok += "</a>";
  EXPECT_NO_THROW(parse(ok));
}

// Any byte string: a tree or an XmlError, nothing else (the sanitizer run checks memory too).
RC_GTEST_PROP(XmlReader, NeverCrashesOnMutatedCibs, ()) {
  std::string text = jtel_cib();
  const auto edits = *rc::gen::inRange(1, 20);
  for (int i = 0; i < edits; ++i) {
    const auto at = *rc::gen::inRange<std::size_t>(0, text.size());
    const auto kind = *rc::gen::inRange(0, 3);
    if (kind == 0) text.erase(at, *rc::gen::inRange<std::size_t>(1, 40));
    else if (kind == 1) text.insert(at, 1, *rc::gen::element('<', '>', '&', '"', '\'', '/', '!', '?', '\0', '\n'));
    else text[at % text.size()] = *rc::gen::arbitrary<char>();
    if (text.empty()) break;
  }
  try {
    parse(text);
  } catch (const XmlError&) {
  }
}

}  // namespace
}  // namespace acdsim::model::xml
