"""One blueprint per area; ``init_app`` registers them all, and the error pages."""

from flask import Flask


def init_app(app: Flask):
    from ..render import isolate_latin_for
    from . import (
        about,
        errors,
        exit,
        languages,
        news,
        openreferral,
        pages,
        search,
        seo,
        services,
        translators,
    )

    app.add_template_filter(isolate_latin_for, "isolate_latin")

    app.register_blueprint(exit.bp)
    app.register_blueprint(seo.bp)
    app.register_blueprint(openreferral.bp)
    app.register_blueprint(languages.bp)
    app.register_blueprint(translators.bp)
    app.register_blueprint(services.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(news.bp)
    app.register_blueprint(about.bp)
    app.register_blueprint(pages.root)
    app.register_blueprint(pages.bp)
    errors.init_app(app)
