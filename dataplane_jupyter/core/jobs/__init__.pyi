from .handles import JobHandle as JobHandle
from .handles import Jobs as Jobs
from .runner import JobCancelled as JobCancelled
from .runner import JobContext as JobContext
from .store import Job as Job
from .store import JobStatus as JobStatus
from .store import JobStore as JobStore
