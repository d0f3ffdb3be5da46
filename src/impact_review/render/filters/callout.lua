-- Quarto callouts and page breaks.
--
-- ::: {.callout-note} (also -warning, -important, -tip, -caution) becomes a titled box: in HTML a
-- <div class="callout callout-note" role="note"> styled by report.css, in typst a call to the
-- template's callout() function. The title is title="..." if given, else the callout's first
-- heading (which is then removed from the body), else the kind's name, as in Quarto.
--
-- shortcodes.py writes {{< pagebreak >}} as an empty ::: pagebreak div; it becomes a page
-- break in typst and a print page break in HTML.

local DEFAULT_TITLES = {
  note = "Note", warning = "Warning", important = "Important", tip = "Tip", caution = "Caution",
}

local function callout_kind(div)
  for _, class in ipairs(div.classes) do
    local kind = class:match("^callout%-(%a+)$")
    if DEFAULT_TITLES[kind] then
      return kind
    end
  end
  return nil
end

local function title_and_body(div, kind)
  local body = div.content:clone()
  local title = div.attributes.title
  if title then
    return pandoc.utils.blocks_to_inlines(pandoc.read(title, "markdown").blocks), body
  end
  if #body > 0 and body[1].t == "Header" then
    return body:remove(1).content, body
  end
  return pandoc.Inlines({ pandoc.Str(DEFAULT_TITLES[kind]) }), body
end

local function typst_inlines(inlines)
  local written = pandoc.write(pandoc.Pandoc({ pandoc.Plain(inlines) }), "typst")
  return (written:gsub("%s+$", ""))
end

local function typst_callout(kind, title, body)
  local blocks = pandoc.Blocks({
    pandoc.RawBlock("typst",
      string.format('#callout(kind: "%s", title: [%s])[', kind, typst_inlines(title))),
  })
  blocks:extend(body)
  blocks:insert(pandoc.RawBlock("typst", "]"))
  return blocks
end

local function html_callout(div, kind, title, body)
  local heading = pandoc.Div(pandoc.Plain({ pandoc.Strong(title) }), { class = "callout-title" })
  body:insert(1, heading)
  div.content = body
  div.classes = pandoc.List({ "callout", "callout-" .. kind })
  div.attributes = { role = "note" }
  return div
end

local function page_break()
  if FORMAT == "typst" then
    return pandoc.RawBlock("typst", "#pagebreak(weak: true)")
  end
  return pandoc.RawBlock("html", '<div class="pagebreak" aria-hidden="true"></div>')
end

function Div(div)
  if div.classes:includes("pagebreak") and #div.content == 0 then
    return page_break()
  end
  local kind = callout_kind(div)
  if not kind then
    return nil
  end
  local title, body = title_and_body(div, kind)
  if FORMAT == "typst" then
    return typst_callout(kind, title, body)
  end
  return html_callout(div, kind, title, body)
end
