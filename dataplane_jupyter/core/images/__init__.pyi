from .folders import ImageFolder as ImageFolder
from .folders import ImageFolders as ImageFolders
