"""viewflow building blocks shared by both processes (applications and publications).

`DynamicSplit` fans out one branch per item of a list computed at run time (the free
edition of viewflow has no data-driven split); a plain `flow.Join` after it waits for
all branches. Used by the 会商 of applications and the publication package review."""
from viewflow import this
from viewflow.workflow import Activation, FlowRuntimeError, Node, Token
from viewflow.workflow.base import Edge
from viewflow.workflow.flow import mixins as flow_mixins
from viewflow.workflow.flow import views
from viewflow.workflow.nodes import mixins


class DynamicSplitActivation(Activation):
    def __init__(self, *args, **kwargs):
        self.next_tasks = []
        super().__init__(*args, **kwargs)

    @Activation.status.super()
    def activate(self):
        items = self.flow_task._items(self) or []
        self.next_tasks = [(self.flow_task._next, self.flow_task._branch_data(item)) for item in items]
        if not self.next_tasks:
            if self.flow_task._if_none is None:
                raise FlowRuntimeError(f"{self.flow_task.name}: no items")
            self.next_tasks = [(self.flow_task._if_none, {})]

    @Activation.status.super()
    def create_next(self):
        tokens = Token.split_token_source(self.task.token, self.task.pk)
        for node, data in self.next_tasks:
            yield node._create(prev_activation=self, token=next(tokens), data=data)


class DynamicSplit(flow_mixins.NodeDetailMixin, mixins.NextNodeMixin, Node):
    """Parallel gateway with one outgoing branch per item returned by `items_callback(activation)`;
    each branch task gets `task.data == task_data(item)`, by default `{"item": item}` (items
    must be JSON-serialisable). Used by the 会商 of applications and by the publication
    package review (reviews/flows.py)."""

    activation_class = DynamicSplitActivation
    task_type = "PARALLEL_GATEWAY"
    bpmn_element = "parallelGateway"
    shape = {
        "width": 50,
        "height": 50,
        "svg": '<path class="gateway" d="M25,0L50,25L25,50L0,25L25,0"/>'
               '<text class="gateway-marker" font-size="32px" x="25" y="35">+</text>',
    }
    index_view_class = views.IndexTaskView
    detail_view_class = views.DetailTaskView

    def __init__(self, items_callback, task_data=None, **kwargs):
        super().__init__(**kwargs)
        self._items = items_callback
        self._branch_data = task_data or (lambda item: {"item": item})
        self._if_none = None

    def IfNone(self, node):
        self._if_none = node
        return self

    def _resolve(self, instance):
        super()._resolve(instance)
        self._items = this.resolve(instance, self._items)
        self._if_none = this.resolve(instance, self._if_none)

    def _outgoing(self):
        yield from super()._outgoing()
        if self._if_none:
            yield Edge(src=self, dst=self._if_none, edge_class="default")
