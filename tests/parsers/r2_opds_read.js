// Reads an OPDS feed the way the Thorium reader does, with Readium's r2-opds-js, and prints what it read
// as one JSON document. Usage: node r2_opds_read.js opds1|opds2 < feed   (NODE_PATH: the parser's modules)
"use strict";
require("reflect-metadata");
const fs = require("fs");
const xmldom = require("@xmldom/xmldom");
const { initGlobalConverters_GENERIC, initGlobalConverters_OPDS } = require("r2-opds-js/dist/es6-es2015/src/opds/init-globals");
const { OPDSFeed } = require("r2-opds-js/dist/es6-es2015/src/opds/opds2/opds2");
const { OPDS } = require("r2-opds-js/dist/es6-es2015/src/opds/opds1/opds");
const { convertOpds1ToOpds2 } = require("r2-opds-js/dist/es6-es2015/src/opds/converter");
const { TaJsonDeserialize } = require("r2-lcp-js/dist/es6-es2015/src/serializable");
const { XML } = require("r2-utils-js/dist/es6-es2015/src/_utils/xml-js-mapper");

initGlobalConverters_OPDS();
initGlobalConverters_GENERIC();

const kind = process.argv[2];
const text = fs.readFileSync(0, "utf8");
let feed;
if (kind === "opds1") {
  const problems = [];
  const parser = new xmldom.DOMParser({ onError: (level, message) => problems.push(`${level}: ${message}`) });
  const dom = parser.parseFromString(text, "application/xml");
  if (problems.length) {
    console.log(JSON.stringify({ problems }));
    process.exit(0);
  }
  feed = convertOpds1ToOpds2(XML.deserialize(dom, OPDS));
} else {
  feed = TaJsonDeserialize(JSON.parse(text), OPDSFeed);
}

const links = (list) => (list || []).map((l) => ({ rel: l.Rel || [], href: l.Href, type: l.TypeLink, title: l.Title }));
console.log(JSON.stringify({
  title: feed.Metadata && feed.Metadata.Title,
  links: links(feed.Links),
  navigation: links(feed.Navigation),
  publications: (feed.Publications || []).map((p) => ({
    title: p.Metadata.Title,
    authors: (p.Metadata.Author || []).map((a) => a.Name),
    language: p.Metadata.Language || [],
    series: (p.Metadata.BelongsTo && p.Metadata.BelongsTo.Series || []).map((s) => [s.Name, s.Position]),
    acquisitions: links(p.Links),
    images: links(p.Images),
  })),
}));
