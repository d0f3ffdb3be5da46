# ruff: noqa: B018
# Names vulture cannot see used: read or called by a framework, not by this project's code.
from html.parser import HTMLParser
from zipfile import ZipInfo

from great_expectations.data_context.types.base import DataContextConfig
from openpyxl.cell import Cell
from openpyxl.packaging.core import DocumentProperties
from openpyxl.worksheet.worksheet import Worksheet

import checks

HTMLParser.handle_starttag  # called by HTMLParser.feed
HTMLParser.handle_endtag
HTMLParser.handle_data
DataContextConfig.progress_bars  # read by GX when it runs a checkpoint
Cell.font  # cell styles and workbook properties the sample generator sets for Excel to show
Cell.border
Cell.alignment  # and the evidence requests set, for Excel to show
Cell.number_format
Worksheet.freeze_panes
DocumentProperties.creator
DocumentProperties.modified
ZipInfo.compress_type  # read by zipfile when the generator rewrites the workbook
checks.__getattr__  # a module's attribute hook (PEP 562): checks.validate_tracker, imported late
