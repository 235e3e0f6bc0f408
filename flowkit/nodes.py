"""viewflow building blocks shared by both processes (applications and publications).

`DynamicSplit` fans out one branch per item of a list computed at run time (the free
edition of viewflow has no data-driven split); a plain `flow.Join` after it waits for
all branches. Used by the 会商 of applications and the publication package review.

`If` and `Switch` are viewflow's gateways with their task row written once, done: viewflow
inserts a gateway's row, opens a savepoint for its condition and then updates the row to
done, three more round trips inside every step that passes a gateway. Our conditions only
read (the decision a step recorded), and a step is one transaction that rolls back whole
on any error, so the row is inserted when the gateway completes and no savepoint is
needed. The rows, their links to the previous task and the chart are viewflow's own."""
from django.utils.timezone import now
from viewflow import this
from viewflow.workflow import Activation, FlowRuntimeError, Node, Token, flow
from viewflow.workflow.base import Edge
from viewflow.workflow.flow import mixins as flow_mixins
from viewflow.workflow.flow import views
from viewflow.workflow.nodes import mixins
from viewflow.workflow.nodes.if_gate import IfActivation
from viewflow.workflow.nodes.switch import SwitchActivation
from viewflow.workflow.signals import task_finished


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


class WrittenOnceGatewayActivation(Activation):
    """A gateway activation whose task row is inserted once, when it completes (see the
    module's docstring). Until then the row has no key, so the activation hashes by itself."""

    _previous_task = None

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        task = flow_task.flow_class.task_class(process=prev_activation.process, flow_task=flow_task, token=token)
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        activation._previous_task = prev_activation.task
        return activation

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)

    def _write(self) -> None:
        inserted = self.task.pk is None
        self.task.save()
        if inserted and self._previous_task is not None:
            self.task.previous.add(self._previous_task)

    def _decide(self, choose) -> None:
        """Run the condition; a failure is kept on the row viewflow's guard records it on."""
        with self.exception_guard():
            try:
                choose()
            except Exception:
                self._write()
                raise

    @Activation.status.super()
    def complete(self):
        self.task.finished = now()
        self._write()
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class WrittenOnceIfActivation(WrittenOnceGatewayActivation, IfActivation):
    @IfActivation.status.super()
    def activate(self):
        def choose():
            self._condition_result = self.flow_task._condition(self)
        self._decide(choose)


class WrittenOnceSwitchActivation(WrittenOnceGatewayActivation, SwitchActivation):
    @SwitchActivation.status.super()
    def activate(self):
        def choose():
            for node, cond in self.flow_task._branches:  # viewflow's rule: the first case met, else the default
                if cond:
                    if cond(self):
                        self.next_task = node
                        break
                else:
                    self.next_task = node
            if not self.next_task:
                raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")
        self._decide(choose)


class If(flow.If):
    """viewflow's `If`, its row written once (conditions must only read)."""

    activation_class = WrittenOnceIfActivation


class Switch(flow.Switch):
    """viewflow's `Switch`, its row written once (conditions must only read)."""

    activation_class = WrittenOnceSwitchActivation
