-- Fails the render on Quarto features that the built-in renderer does not reproduce, so a report
-- never renders on one path only, or loses content, depending on whether quarto was installed.
-- Runs first; crossref.lua and callout.lua may then assume what is checked here.

local CALLOUT_KINDS = { note = true, warning = true, important = true, tip = true, caution = true }
local SUPPORTED_XREF_PREFIXES = { fig = true, tbl = true, sec = true }
local QUARTO_XREF_PREFIXES = {
  "fig", "tbl", "sec", "eq", "lst", "thm", "lem", "cor", "prp", "cnj", "def", "exm", "exr",
  "sol", "rem", "nte", "wrn", "tip", "imp", "cau", "alg",
}
-- Classes and attributes that make Quarto lay out, hide or execute content.
local QUARTO_CLASS_PATTERNS = {
  "^panel%-", "^column", "^content%-", "^cell", "^layout", "^quarto%-", "^margin",
  "^aside$", "^hidden$", "^callout$", "^lightbox$", "^columns$", "^incremental$",
}
local QUARTO_ATTRIBUTE_PATTERNS = {
  "^fig%-", "^tbl%-", "^lst%-", "^layout", "^cap%-location$", "^column", "^code%-", "^echo$",
  "^eval$", "^output$", "^include$", "^collapse$", "^appearance$", "^icon$", "^when%-",
  "^unless%-", "^lightbox$", "^group$", "^width$", "^height$",
}
local RAW_FORMATS = { html = true, typst = true }

local function fail(message)
  error("unsupported in the built-in renderer: " .. message, 0)
end

local function matches_any(text, patterns)
  for _, pattern in ipairs(patterns) do
    if text:match(pattern) then
      return true
    end
  end
  return false
end

local function xref_prefix(identifier)
  local prefix = identifier:match("^(%a+)%-")
  if prefix and pandoc.List(QUARTO_XREF_PREFIXES):includes(prefix) then
    return prefix
  end
  return nil
end

local function check_identifier(identifier, element, allowed_prefix)
  local prefix = xref_prefix(identifier)
  if prefix == nil or prefix == allowed_prefix then
    return
  end
  if SUPPORTED_XREF_PREFIXES[prefix] then
    fail(string.format(
      "#%s on %s (#fig- goes on an image alone in its paragraph, #tbl- on a table caption, "
        .. "#sec- on a heading)", identifier, element))
  end
  fail(string.format("cross-reference label #%s (only #fig-, #tbl- and #sec- are supported)",
    identifier))
end

local function check_classes(classes, element)
  for _, class in ipairs(classes) do
    local callout = class:match("^callout%-(.+)$")
    if callout and not CALLOUT_KINDS[callout] then
      fail(string.format("callout type .%s (use note, warning, important, tip or caution)", class))
    end
    if matches_any(class, QUARTO_CLASS_PATTERNS) then
      fail(string.format("class .%s on %s", class, element))
    end
  end
end

local function check_attributes(attributes, element, allowed)
  for key, _ in pairs(attributes) do
    if not (allowed and allowed[key]) and matches_any(key, QUARTO_ATTRIBUTE_PATTERNS) then
      fail(string.format('attribute %s="..." on %s', key, element))
    end
  end
end

local function check_attr(element, name, allowed_prefix, allowed_attributes)
  check_identifier(element.identifier, name, allowed_prefix)
  check_classes(element.classes, name)
  check_attributes(element.attributes, name, allowed_attributes)
end

local function is_callout(div)
  for _, class in ipairs(div.classes) do
    if class:match("^callout%-") then
      return true
    end
  end
  return false
end

local function check_image_source(src)
  if src:match("^%a[%w+.-]*:") or src:match("^/") or src:match("^\\") then
    fail(string.format("image %s: images must be files inside the bundle", src))
  end
  for part in src:gmatch("[^/\\]+") do
    if part == ".." then
      fail(string.format("image %s: image paths may not leave the bundle", src))
    end
  end
  -- pandoc runs in the bundle folder, so the path opens from here.
  local file = io.open(src, "rb")
  if not file then
    fail(string.format("image %s: no such file in the bundle", src))
  end
  file:close()
end

local function check_code_text(text)
  if text:match("^%s*{%a[%w_-]*}%s") then
    fail("executable code cell or inline expression `" .. text:sub(1, 40) .. "`")
  end
end

-- Quarto reads a { in a caption as the start of the {#fig-...} or {#tbl-...} attributes.
local function check_caption(caption, element)
  if pandoc.utils.stringify(caption.long):find("{", 1, true) then
    fail(string.format("a { in the caption of %s", element))
  end
end

local function check_raw(raw)
  if not RAW_FORMATS[raw.format] then
    fail(string.format("raw %s content `%s` (only raw html and typst are kept)", raw.format,
      raw.text:sub(1, 40)))
  end
end

return {
  {
    Div = function(div)
      local allowed = is_callout(div) and { title = true } or nil
      check_attr(div, "a div", nil, allowed)
    end,
    Span = function(span) check_attr(span, "a span") end,
    Header = function(header) check_attr(header, "a heading", "sec") end,
    Figure = function(figure)
      check_attr(figure, "a figure", "fig")
      check_caption(figure.caption, "figure #" .. figure.identifier)
    end,
    Table = function(tbl)
      check_identifier(tbl.identifier, "a table", "tbl")
      check_caption(tbl.caption, "table #" .. tbl.identifier)
      if #tbl.classes > 0 or #tbl.attributes > 0 then
        fail(string.format("table attributes or classes on table #%s", tbl.identifier))
      end
    end,
    Image = function(image)
      check_attr(image, "an image", nil, { ["fig-alt"] = true })
      check_image_source(image.src)
    end,
    CodeBlock = function(block) check_attr(block, "a code block") end,
    Code = function(code) check_code_text(code.text) end,
    Math = function(math)
      fail("math `" .. math.text:sub(1, 40) .. "` (write a literal $ as \\$)")
    end,
    RawBlock = check_raw,
    RawInline = check_raw,
  },
}
