"""The editorial set-up in code: groups, their permissions and the review workflow, idempotently."""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

WRITERS = "Writers"
MEDICAL_REVIEWERS = "Medical reviewers"
EDITORS = "Editors"

WORKFLOW_NAME = "Editorial review"
MEDICAL_REVIEW_TASK = "Medical review"
EDITOR_SIGN_OFF_TASK = "Editor sign-off"


@dataclass(frozen=True)
class GroupPolicy:
    """What one editorial group may do: model permissions, page and collection permissions."""

    name: str
    model_permissions: tuple[str, ...]
    page_permissions: tuple[str, ...]
    collection_permissions: tuple[str, ...]


GROUP_POLICIES = (
    GroupPolicy(
        name=WRITERS,
        model_permissions=(
            "wagtailadmin.access_admin",
            "articles.view_author",
            "articles.view_topic",
            "articles.view_series",
            "articles.add_series",
            "articles.change_series",
        ),
        # Writers create and edit; without publish_page they can only submit to the workflow.
        page_permissions=("add_page", "change_page", "lock_page"),
        collection_permissions=(
            "wagtailimages.add_image",
            "wagtailimages.choose_image",
            "wagtaildocs.add_document",
            "wagtaildocs.choose_document",
        ),
    ),
    GroupPolicy(
        name=MEDICAL_REVIEWERS,
        model_permissions=(
            "wagtailadmin.access_admin",
            "articles.view_author",
            "articles.view_topic",
            "articles.view_series",
        ),
        # Reviewers act through their workflow task, which opens the editor for them.
        page_permissions=(),
        collection_permissions=("wagtailimages.choose_image", "wagtaildocs.choose_document"),
    ),
    GroupPolicy(
        name=EDITORS,
        model_permissions=(
            "wagtailadmin.access_admin",
            *(
                f"articles.{action}_{model}"
                for model in ("author", "topic", "series")
                for action in ("add", "change", "delete", "view")
            ),
            "articles.publish_series",
        ),
        page_permissions=(
            "add_page",
            "change_page",
            "publish_page",
            "lock_page",
            "unlock_page",
            "bulk_delete_page",
        ),
        collection_permissions=(
            "wagtailimages.add_image",
            "wagtailimages.change_image",
            "wagtailimages.delete_image",
            "wagtailimages.choose_image",
            "wagtaildocs.add_document",
            "wagtaildocs.change_document",
            "wagtaildocs.delete_document",
            "wagtaildocs.choose_document",
        ),
    ),
)


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def _ensure_group(policy: GroupPolicy, *, journals, root_collection: Collection) -> Group:
    group, _ = Group.objects.get_or_create(name=policy.name)
    group.permissions.add(*(_permission(p) for p in policy.model_permissions))
    for journal in journals:
        for codename in policy.page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=journal, permission=_page_permission(codename)
            )
    for dotted in policy.collection_permissions:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=_permission(dotted)
        )
    return group


def _ensure_approval_task(name: str, group: Group) -> GroupApprovalTask:
    task = GroupApprovalTask.objects.filter(name=name).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=name)
    task.groups.add(group)
    return task


def _ensure_workflow(*, medical_reviewers: Group, editors: Group, journals) -> Workflow:
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    tasks = (
        _ensure_approval_task(MEDICAL_REVIEW_TASK, medical_reviewers),
        _ensure_approval_task(EDITOR_SIGN_OFF_TASK, editors),
    )
    for sort_order, task in enumerate(tasks):
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task=task.task_ptr, defaults={"sort_order": sort_order}
        )
    for journal in journals:
        WorkflowPage.objects.update_or_create(page=journal, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def editorial_setup_ensure(*, journals: list[Page] | None = None) -> Workflow:
    """Create or complete the groups, their permissions and the workflow; safe to run again.

    `journals` are the article index pages to grant page permissions on and attach the
    workflow to; by default every ArticleIndexPage that exists.
    """
    from articles.models import ArticleIndexPage

    if journals is None:
        journals = list(ArticleIndexPage.objects.all())
    root_collection = Collection.get_first_root_node()
    groups = {
        policy.name: _ensure_group(policy, journals=journals, root_collection=root_collection)
        for policy in GROUP_POLICIES
    }
    return _ensure_workflow(
        medical_reviewers=groups[MEDICAL_REVIEWERS], editors=groups[EDITORS], journals=journals
    )
