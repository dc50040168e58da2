"""The sidebar: a tree of sources (or of months and days) over the articles.

A Textual Tree renders only the lines on screen, so 10,000 articles cost no
more to draw than 20. Articles arrive in batches while a folder loads; each is
inserted in its place (newest first within a group) instead of rebuilding the
tree. Labels are cut to the sidebar's width when drawn, so nothing wraps and
nothing scrolls sideways.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ...grouping import Grouping, article_order, group_order, group_path
from ...model import Article
from ...textwidth import cell_width, truncate


@dataclass
class GroupInfo:
    label: str
    order: tuple
    count: int = 0
    child_orders: list[tuple] = field(default_factory=list)  # sorted, parallel to the node's children


NodeData = Article | GroupInfo


class Sidebar(Tree[NodeData], inherit_bindings=False):  # Tree's space and enter mean other things
    """Sources (or dates) → articles. Enter opens; h goes back up."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", id="sidebar.down", show=False),
        Binding("k,up", "cursor_up", "Up", id="sidebar.up", show=False),
        Binding("enter,l,right", "open", "Open", id="sidebar.open", show=False, tooltip="Open / expand group"),
        Binding("h,left", "back", "Back", id="sidebar.back", show=False, tooltip="Collapse / go up"),
        Binding("g,home", "scroll_home", "Top", id="sidebar.top", show=False),
        Binding("G,end", "scroll_end", "Bottom", id="sidebar.bottom", show=False),
        Binding("pagedown", "page_down", "Page down", id="sidebar.page_down", show=False),
        Binding("pageup", "page_up", "Page up", id="sidebar.page_up", show=False),
    ]
    COMPONENT_CLASSES = {"sidebar--date", "sidebar--count", "sidebar--source"}
    DEFAULT_CSS = """
    /* No focus tint: on 16 colours it turned every row the grey of the cursor. */
    Sidebar:focus { background-tint: transparent; }
    /* Tree gives the unfocused cursor a background only: white on silver in high contrast. */
    Sidebar > .tree--cursor { color: $block-cursor-blurred-foreground; }
    /* Tree's guides, a lightened surface, vanished on the light themes. */
    Sidebar:blur > .tree--guides, Sidebar:blur > .tree--guides-hover,
    Sidebar:focus > .tree--guides, Sidebar:focus > .tree--guides-hover { color: $text-muted; }
    Sidebar > .sidebar--date { color: $text-muted; }
    Sidebar > .sidebar--count { color: $text-muted; }
    Sidebar > .sidebar--source { color: $text-muted; }
    /* NO_COLOR: the cursor reversed while the sidebar has the focus, underlined while it has not. */
    Sidebar:nocolor > .sidebar--date, Sidebar:nocolor > .sidebar--count, Sidebar:nocolor > .sidebar--source {
        text-style: dim;
    }
    Sidebar:nocolor > .tree--cursor { text-style: underline; }
    Sidebar:nocolor:focus > .tree--cursor { text-style: reverse bold; }
    """
    ICON_NODE = "▸ "
    ICON_NODE_EXPANDED = "▾ "

    class ArticleOpened(Message):
        """The user asked to read an article."""

        def __init__(self, article: Article) -> None:
            super().__init__()
            self.article = article

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("articles", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = False
        self.grouping = Grouping.SOURCE
        self.articles: list[Article] = []
        self._leaves: dict[Path, TreeNode[NodeData]] = {}
        self._groups: dict[tuple[str, ...], TreeNode[NodeData]] = {}
        self._root_orders: list[tuple] = []

    # -- content ------------------------------------------------------------------
    def add_articles(self, articles: list[Article]) -> None:
        """Insert a batch in place; group counts are updated once per batch."""
        touched: set[TreeNode[NodeData]] = set()
        for article in articles:
            self.articles.append(article)
            parent = self._group_for(article, touched)
            self._insert_leaf(parent, article)
        for group in touched:
            self._refresh_group_label(group)

    def set_grouping(self, grouping: Grouping) -> None:
        """Rebuild the tree under another grouping, keeping the current article under the cursor."""
        current = self.current_article
        self.grouping = grouping
        self.clear()
        self._leaves.clear()
        self._groups.clear()
        self._root_orders.clear()
        articles, self.articles = self.articles, []
        self.add_articles(sorted(articles, key=article_order))
        if current is not None:
            self.reveal(current)

    @property
    def current_article(self) -> Article | None:
        node = self.cursor_node
        return node.data if node is not None and isinstance(node.data, Article) else None

    def reveal(self, article: Article) -> None:
        """Expand the article's groups and put the cursor on it."""
        node = self._leaves.get(article.path)
        if node is None:
            return
        for ancestor in _ancestors(node):
            ancestor.expand()
        # Tree numbers its lines lazily; asking for the last line makes it
        # number them now, so the cursor lands on the node's current line.
        _ = self.last_line
        self.move_cursor(node, animate=False)

    def neighbour(self, article: Article | None, step: int) -> Article | None:
        """The article before (-1) or after (+1) in the sidebar's order, across groups."""
        leaves = self._ordered_leaves()
        if not leaves:
            return None
        if article is None or article.path not in self._leaves:
            return leaves[0] if step > 0 else leaves[-1]
        index = leaves.index(article)
        target = index + step
        return leaves[target] if 0 <= target < len(leaves) else None

    def _ordered_leaves(self) -> list[Article]:
        found: list[Article] = []
        pending = list(reversed(self.root.children))
        while pending:
            node = pending.pop()
            if isinstance(node.data, Article):
                found.append(node.data)
            else:
                pending.extend(reversed(node.children))
        return found

    def _group_for(self, article: Article, touched: set) -> TreeNode[NodeData]:
        parent = self.root
        path: tuple[str, ...] = ()
        for label in group_path(article, self.grouping):
            path = (*path, label)
            node = self._groups.get(path)
            if node is None:
                node = self._insert_group(parent, label)
                self._groups[path] = node
            assert isinstance(node.data, GroupInfo)
            node.data.count += 1
            touched.add(node)
            parent = node
        return parent

    def _insert_group(self, parent: TreeNode[NodeData], label: str) -> TreeNode[NodeData]:
        info = GroupInfo(label, group_order(label, self.grouping))
        orders = self._root_orders if parent is self.root else parent.data.child_orders  # type: ignore[union-attr]
        index = bisect.bisect_left(orders, info.order)
        orders.insert(index, info.order)
        return _add(parent, label, info, index, leaf=False)

    def _insert_leaf(self, parent: TreeNode[NodeData], article: Article) -> None:
        assert isinstance(parent.data, GroupInfo)
        order = article_order(article)
        index = bisect.bisect_left(parent.data.child_orders, order)
        parent.data.child_orders.insert(index, order)
        self._leaves[article.path] = _add(parent, article.title, article, index, leaf=True)

    def _refresh_group_label(self, node: TreeNode[NodeData]) -> None:
        info = node.data
        assert isinstance(info, GroupInfo)
        node.set_label(Text(f"{info.label} ({info.count})"))

    # -- drawing ------------------------------------------------------------------
    # Scrolling repaints every visible line. Tree computes the widget's style
    # for each line by walking the CSS of all its ancestors; once per paint is
    # enough, and it is most of the cost of holding j.
    _paint_style: Style | None = None

    def render_lines(self, crop):
        self._paint_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._paint_style = None

    def render_line(self, y: int) -> Strip:
        style = self._paint_style if self._paint_style is not None else self.rich_style
        scroll_x, scroll_y = self.scroll_offset
        return self._render_line(y + scroll_y, scroll_x, scroll_x + self.size.width, style)

    def render_label(self, node: TreeNode[NodeData], base_style: Style, style: Style) -> Text:
        room = max(1, self.scrollable_content_region.width - self._indent(node))
        data = node.data
        if isinstance(data, GroupInfo):
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            count = f" {data.count}"
            name = truncate(data.label, max(1, room - cell_width(icon) - len(count)))
            muted = self.get_component_rich_style("sidebar--count", partial=True)
            # The line's style goes on top, so the cursor row is all cursor colours.
            return Text.assemble((icon, base_style), (name, style), (count, muted + style))
        assert isinstance(data, Article)
        if self.grouping is Grouping.SOURCE:
            prefix = data.date.strftime("%m-%d ") if data.date else "      "
            prefix_style = self.get_component_rich_style("sidebar--date", partial=True)
        else:
            prefix = truncate(data.source, 8) + " "
            prefix_style = self.get_component_rich_style("sidebar--source", partial=True)
        title = truncate(data.title, max(1, room - cell_width(prefix)))
        return Text.assemble((prefix, prefix_style + style), (title, style))

    def get_label_width(self, node: TreeNode[NodeData]) -> int:
        # Labels are cut to fit when drawn; reporting no width keeps the tree
        # from ever scrolling sideways (and skips measuring 10,000 labels).
        return 0

    def _indent(self, node: TreeNode[NodeData]) -> int:
        depth = len(_ancestors(node))  # groups above this node
        return depth * self.guide_depth

    # -- keys and mouse -------------------------------------------------------------
    def on_tree_node_selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        # A click lands here (keys go through action_open); open articles, toggle groups.
        event.stop()
        if isinstance(event.node.data, Article):
            self.post_message(self.ArticleOpened(event.node.data))
        else:
            event.node.toggle()

    def action_open(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if isinstance(node.data, Article):
            self.post_message(self.ArticleOpened(node.data))
        elif not node.is_expanded:
            node.expand()
        elif node.children:
            _ = self.last_line  # see reveal()
            self.move_cursor(node.children[0], animate=False)

    def action_back(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if isinstance(node.data, GroupInfo) and node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            _ = self.last_line  # see reveal()
            self.move_cursor(node.parent, animate=False)


def _add(parent: TreeNode[NodeData], label: str, data: NodeData, index: int, *, leaf: bool) -> TreeNode[NodeData]:
    # A Text, never a str: Tree parses a str label as console markup, and a
    # title such as "[/foo]" would raise (or "[link=…]" would become a link).
    label = Text(label)
    before = index if index < len(parent.children) else None
    if leaf:
        return parent.add_leaf(label, data, before=before)
    return parent.add(label, data, before=before)


def _ancestors(node: TreeNode[NodeData]) -> list[TreeNode[NodeData]]:
    """The groups above a node, innermost first (the hidden root excluded)."""
    found = []
    parent = node.parent
    while parent is not None and parent.parent is not None:
        found.append(parent)
        parent = parent.parent
    return found
