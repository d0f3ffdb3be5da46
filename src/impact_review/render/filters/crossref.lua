-- Quarto cross-references for figures and tables, and figure alt text.
--
-- Figures (an image alone in its paragraph, labelled {#fig-...}) and tables (caption ending in
-- {#tbl-...}) are numbered separately in document order. Captions gain "Figure 1: " /
-- "Table 1: ", and @fig-x / @tbl-x become links reading "Figure 1" / "Table 1" (-@fig-x reads
-- "1"). Numbers are written into the text rather than left to typst, so the HTML and the PDF say
-- exactly the same thing; the typst template turns typst's own figure numbering off.
--
-- fig-alt="..." becomes the image's alt text: the alt attribute in HTML, image(alt: ...) in
-- typst. Without it the alt text is the image's description, as pandoc does.

local KIND_NAMES = { fig = "Figure", tbl = "Table" }
local numbers = {}

local function fail(message)
  error("cross-reference: " .. message, 0)
end

local function assign_number(identifier, counts)
  local kind = identifier:match("^(%a+)%-")
  if not KIND_NAMES[kind] then
    return
  end
  if numbers[identifier] then
    fail("label #" .. identifier .. " is used twice")
  end
  counts[kind] = (counts[kind] or 0) + 1
  numbers[identifier] = { kind = kind, number = counts[kind] }
end

local function number_labels(doc)
  local counts = {}
  doc:walk({
    traverse = "topdown",
    Figure = function(figure) assign_number(figure.identifier, counts) end,
    Table = function(tbl) assign_number(tbl.identifier, counts) end,
  })
end

local function label_text(identifier)
  local entry = numbers[identifier]
  return string.format("%s %d", KIND_NAMES[entry.kind], entry.number)
end

local function with_label_prefix(caption, identifier)
  if not numbers[identifier] then
    return caption
  end
  local prefix = pandoc.Inlines({ pandoc.Str(label_text(identifier) .. ":"), pandoc.Space() })
  local long = caption.long
  if #long == 0 then
    caption.long = pandoc.Blocks({ pandoc.Plain(pandoc.Str(label_text(identifier))) })
  elseif long[1].content then
    long[1].content = prefix .. long[1].content
  else
    long:insert(1, pandoc.Plain(prefix))
  end
  return caption
end

local function typst_string(text)
  return '"' .. text:gsub("[\r\n]+", " "):gsub("\\", "\\\\"):gsub('"', '\\"') .. '"'
end

local function alt_text(image)
  return image.attributes["fig-alt"] or pandoc.utils.stringify(image.caption)
end

-- Pandoc's typst writer drops alt text, so images are written as typst directly. In a figure
-- the image stands alone; in running text it is boxed, as pandoc does.
local function typst_image(image, template)
  local call = string.format("image(%s, alt: %s)", typst_string(image.src),
    typst_string(alt_text(image)))
  return pandoc.RawInline("typst", string.format(template, call))
end

local function with_alt_text(image)
  if FORMAT == "typst" then
    return typst_image(image, "#box(%s)")
  end
  image.caption = pandoc.Inlines({ pandoc.Str(alt_text(image)) })
  image.attributes["fig-alt"] = nil
  return image
end

local function reference(citation)
  local id = citation.id
  if not numbers[id] then
    local prefix = id:match("^(%a+)%-") or ""
    if KIND_NAMES[prefix] then
      fail("@" .. id .. " refers to no figure or table labelled #" .. id)
    end
    fail("@" .. id .. ": only figures (@fig-) and tables (@tbl-) can be referred to, and there"
      .. " are no citations (write a literal @ as \\@)")
  end
  local text = label_text(id)
  if citation.mode == "SuppressAuthor" then
    text = tostring(numbers[id].number)
  end
  local link = pandoc.Link({ pandoc.Str(text) }, "#" .. id, "", { class = "quarto-xref" })
  local inlines = pandoc.Inlines({})
  if #citation.prefix > 0 then
    inlines:extend(citation.prefix)
    inlines:insert(pandoc.Space())
  end
  inlines:insert(link)
  inlines:extend(citation.suffix)
  return inlines
end

return {
  { Pandoc = function(doc) number_labels(doc) end },
  {
    Figure = function(figure)
      figure.caption = with_label_prefix(figure.caption, figure.identifier)
      if FORMAT == "typst" then
        figure.content = figure.content:walk({
          Image = function(image) return typst_image(image, "#%s") end,
        })
      end
      return figure
    end,
    Table = function(tbl)
      tbl.caption = with_label_prefix(tbl.caption, tbl.identifier)
      return tbl
    end,
    Cite = function(cite)
      if #cite.citations ~= 1 then
        fail("refer to one figure or table at a time, not " .. pandoc.utils.stringify(cite.content))
      end
      return reference(cite.citations[1])
    end,
  },
  { Image = with_alt_text },
}
