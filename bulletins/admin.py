from django.contrib import admin

from bulletins.models import Bulletin, BulletinParagraphTemplate


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    """Bulletins are read here; they change through their pages (drafting, editing, issue)."""

    list_display = ["doc_number", "title", "office", "kind", "status", "year"]
    list_filter = ["kind", "status", "year"]
    list_select_related = ["office"]
    search_fields = ["doc_number", "title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BulletinParagraphTemplate)
class BulletinParagraphTemplateAdmin(admin.ModelAdmin):
    """The site's paragraph texts (no office) in place of the defaults; an office keeps its own
    on the bulletins' paragraph templates page."""

    list_display = ["key", "office", "updated_at"]
    list_filter = ["key"]
    raw_id_fields = ["office"]
