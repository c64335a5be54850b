// No native extractor: cbor-x checks for a falsy export and decodes strings in JavaScript.
module.exports = null;
