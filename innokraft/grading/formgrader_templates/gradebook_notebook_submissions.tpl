{#- innokraft: nbgrader's "Manual Grading → module → notebook" list with learners' names shown
    by default (see innokraft/formgrader_names.py). Only the default changes: nbgrader.css hides
    .name-shown until a toggle; these rules (after it, same specificity) show it instead, and the
    button starts as "Hide All Names", which is what nbgrader's toggle expects when no name is hidden. -#}
{%- extends 'nbgrader/gradebook_notebook_submissions.tpl' -%}

{%- block head -%}
{{ super() }}
<style>
  .name-shown { display: inline; }
  .name-hidden { display: none; }
</style>
{%- endblock head -%}

{%- block messages -%}
<button id="toggle_names" onclick="toggleAllNames()">Hide All Names</button>
{%- endblock -%}
