# English pages show dates and numbers the Vietnamese way too (dd/mm/yyyy): the same formats as vi.
from mamnon.formats.vi.formats import *  # noqa: F403
