-- Keeps a figure or table on the PDF page of the words that introduce it.
--
-- Both renderers run this filter (_quarto.yml lists it under filters:). In typst output these
-- paragraphs become sticky blocks, which typst moves to the next page together with the block
-- after them rather than leave them at the foot of a page:
--   - the paragraph just before a figure, table, list or callout (the sentence introducing it);
--   - all the paragraphs between a heading and such a block, when there are at most
--     MAX_INTRODUCTION of them (the heading itself is sticky by print.typ), so a section's
--     first figure or table starts on the page of its heading.
-- HTML is unchanged.

local MAX_INTRODUCTION = 3

-- A paragraph of text; an image alone in its paragraph is a figure, not an introduction.
local function is_text(block)
  if block.t ~= "Para" and block.t ~= "Plain" then
    return false
  end
  return not (#block.content == 1 and block.content[1].t == "Image")
end

-- A block that words can introduce: anything but a heading or more text.
local function introducible(block)
  return block ~= nil and block.t ~= "Header" and not is_text(block)
end

-- The index of the first block from `first` on that is not a paragraph of text.
local function end_of_text(blocks, first)
  local last = first
  while last <= #blocks and is_text(blocks[last]) do
    last = last + 1
  end
  return last
end

-- The indexes of the paragraphs that must stay with the block after them.
local function sticky_paragraphs(blocks)
  local sticky = {}
  for i, block in ipairs(blocks) do
    if is_text(block) and introducible(blocks[i + 1]) then
      sticky[i] = true
    elseif block.t == "Header" then
      local last = end_of_text(blocks, i + 1)
      if last - (i + 1) <= MAX_INTRODUCTION and introducible(blocks[last]) then
        for j = i + 1, last - 1 do
          sticky[j] = true
        end
      end
    end
  end
  return sticky
end

function Pandoc(doc)
  if FORMAT ~= "typst" then
    return nil
  end
  local sticky, kept = sticky_paragraphs(doc.blocks), pandoc.Blocks({})
  for i, block in ipairs(doc.blocks) do
    if sticky[i] then
      kept:insert(pandoc.RawBlock("typst", "#block(sticky: true)["))
      kept:insert(block)
      kept:insert(pandoc.RawBlock("typst", "]"))
    else
      kept:insert(block)
    end
  end
  doc.blocks = kept
  return doc
end
