"""The computation core: plain Python over plain values, no Django.

``model`` holds the dataclasses, ``periods`` the period codes, ``criteria``
the judging of success criteria, ``text_da`` the Danish wording.
"""
