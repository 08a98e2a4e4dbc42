from .catalog import Catalog as Catalog
from .catalog import project as project
from .names import check_name as check_name
from .project import Project as Project
from .storage import Storage as Storage
